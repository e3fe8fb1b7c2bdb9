// placeholder until reports has code
