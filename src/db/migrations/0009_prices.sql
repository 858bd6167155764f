-- Daily closing prices for event studies (strategic-sector equities and market indices).
CREATE TABLE prices (
  ticker  text NOT NULL,
  day     date NOT NULL,
  close   numeric(20, 6) NOT NULL CHECK (close > 0),
  source  text NOT NULL,
  PRIMARY KEY (ticker, day)
);
