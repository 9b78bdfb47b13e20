-- The columns a person named for a screened file whose headers Steward did not recognise
-- (JSON of role to header), sealed like the headers; NULL when the headers were recognised.
ALTER TABLE registries ADD COLUMN column_map TEXT;
