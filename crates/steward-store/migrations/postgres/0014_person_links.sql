-- A person at risk linked to what Steward already knows: the organisation record their union or
-- group is, and the row of the case organisation's supplier registry their workplace matched.
-- Both sealed: either ties a person at risk to a named union or workplace.
ALTER TABLE case_people ADD COLUMN organisation_id TEXT; -- sealed
ALTER TABLE case_people ADD COLUMN workplace_link TEXT;  -- sealed JSON
