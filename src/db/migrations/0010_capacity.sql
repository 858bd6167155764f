-- Production capacity the portfolio's deals add, per material, for the reshoring metrics.
CREATE TABLE capacity_additions (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  deal_id      text NOT NULL REFERENCES deals(id),
  material_id  text NOT NULL,
  capacity     numeric(18, 3) NOT NULL CHECK (capacity > 0),
  unit         text NOT NULL,
  online_year  integer NOT NULL CHECK (online_year BETWEEN 2000 AND 2100),
  source       text NOT NULL,
  created_by   text NOT NULL
);
CREATE INDEX capacity_additions_material ON capacity_additions(material_id);
