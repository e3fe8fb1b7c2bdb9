// placeholder until collector has code
