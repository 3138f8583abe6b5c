-- Run by the postgres image once, on an empty data volume (deploy/compose.yaml): the shop
-- database beside `rasa` (POSTGRES_DB, Rasa's tracker store), owned by the same role.
CREATE DATABASE shopassist;
