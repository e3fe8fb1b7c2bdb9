// placeholder until pg has code
