-- The sandbox's database, where pgadvisor's demo data and extensions live.
CREATE DATABASE pgadvisor
