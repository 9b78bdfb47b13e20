-- More of what the response team records about a person at risk: other names and workplace
-- (sealed: either can name them), sector and country (plain, for reports).
ALTER TABLE case_people ADD COLUMN other_names TEXT; -- sealed
ALTER TABLE case_people ADD COLUMN workplace TEXT;   -- sealed
ALTER TABLE case_people ADD COLUMN sector TEXT;
ALTER TABLE case_people ADD COLUMN country TEXT;
