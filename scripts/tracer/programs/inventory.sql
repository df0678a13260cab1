-- A small sqlite3 workload for the tracer: tables, an index, inserts from a
-- recursive CTE, updates, deletes, joins, aggregates and sorting.
CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT, category INTEGER, price REAL);
CREATE TABLE sale(id INTEGER PRIMARY KEY, item INTEGER REFERENCES item(id), qty INTEGER, note TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
INSERT INTO item SELECT i, 'item-' || i || '-' || hex(randomblob(4 + i % 12)), i % 37, (i * 7919 % 1000) / 10.0 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 8000)
INSERT INTO sale SELECT i, 1 + (i * 31 % 3000), 1 + i % 9, substr('lorem ipsum dolor sit amet consectetur', 1 + i % 20) FROM n;
CREATE INDEX sale_item ON sale(item);
UPDATE item SET price = price * 1.1 WHERE category % 3 = 0;
DELETE FROM sale WHERE qty = 5;
SELECT category, count(*), round(sum(price * qty), 2) FROM sale JOIN item ON item.id = sale.item GROUP BY category ORDER BY 3 DESC LIMIT 5;
SELECT name, group_concat(note, ';') FROM item JOIN sale ON sale.item = item.id WHERE item.id < 40 GROUP BY item.id ORDER BY name;
