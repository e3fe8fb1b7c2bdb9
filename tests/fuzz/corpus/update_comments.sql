UPDATE t SET a = a + 1 /* nested /* comment */ here */ WHERE b = $1 -- trailing
