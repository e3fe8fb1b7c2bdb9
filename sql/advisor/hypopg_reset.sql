-- Forget every hypothetical index of this session.
SELECT hypopg_reset()
