-- The match record of each touchpoint (#7): the person attributes matching compares, as the source stated them, with
-- the source, in one column of the touchpoint. A candidate's latest records were read from observations, one row per
-- attribute (about 8 per touchpoint, ~107 rows per candidate lookup, ranked by a window); now they are one row per
-- touchpoint, read through an index that holds only touchpoints with a match record. Observations stay the record of
-- what each source said (golden record, GET /admin/customers/{id}, unmerge); a touchpoint's observations never change
-- once written and move with it, so the column never goes stale. Null when the touchpoint states no match attribute.
alter table touchpoints add column match jsonb;

-- Existing touchpoints: their match record from their observations (the attribute names PersonAttributes.MATCH_ATTRIBUTES
-- held when this was written; a later one adds its own backfill).
update touchpoints t set match = m.match
from (select o.touchpoint_id, jsonb_object_agg(o.attribute, o.value) || jsonb_build_object('source', min(o.source)) as match
      from observations o
      where o.touchpoint_id is not null
        and o.attribute in ('first_name', 'last_name', 'full_name', 'email', 'phone', 'mobile_phone', 'company', 'street',
                            'city', 'postcode', 'country', 'dob')
      group by o.touchpoint_id) m
where t.id = m.touchpoint_id;

-- A customer's latest records: newest first, only touchpoints that have one.
create index touchpoints_match_ix on touchpoints (customer_id, id desc) where match is not null;
