package io.lookout.storage.clickhouse.impl;

import io.vertx.core.json.JsonObject;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The insertable columns of one table and how to write each in RowBinary: encodes the rows a
 * JSONEachRow insert would take into the body of {@code INSERT INTO t (columns) FORMAT RowBinary}.
 */
final class RowBinaryTable {

  /** ClickHouse's INCORRECT_DATA, which it gives a JSONEachRow field that is not a column. */
  static final int UNKNOWN_FIELD = 117;

  private static final Object ABSENT = new Object();

  private final String table;
  private final String[] names;
  private final RowBinaryColumn[] columns;
  private final Map<String, Integer> byName;
  private final List<String> quotedNames;
  /** Bytes per row of the last body, to size the next one (a regrown 20 MB array costs a copy). */
  private volatile int bytesPerRow = 512;

  private RowBinaryTable(String table, List<String> names, List<RowBinaryColumn> columns) {
    this.table = table;
    this.names = names.toArray(new String[0]);
    this.columns = columns.toArray(new RowBinaryColumn[0]);
    this.byName = new HashMap<>();
    List<String> quoted = new ArrayList<>(names.size());
    for (int i = 0; i < this.names.length; i++) {
      byName.put(this.names[i], i);
      quoted.add(quote(this.names[i]));
    }
    this.quotedNames = List.copyOf(quoted);
  }

  /**
   * The encoder for a table described by {@code DESCRIBE TABLE} rows ({@code name}, {@code type},
   * {@code default_type}); MATERIALIZED and ALIAS columns cannot be inserted and are left out.
   *
   * @throws UnsupportedOperationException naming the first column whose type cannot be encoded
   */
  static RowBinaryTable of(String table, List<JsonObject> describe, ZoneId serverZone) {
    List<String> names = new ArrayList<>();
    List<RowBinaryColumn> columns = new ArrayList<>();
    for (JsonObject column : describe) {
      String kind = column.getString("default_type", "");
      if (kind.equals("MATERIALIZED") || kind.equals("ALIAS")) {
        continue;
      }
      String name = column.getString("name");
      String type = column.getString("type");
      RowBinaryColumn writer = RowBinaryColumn.of(type, serverZone);
      if (writer == null) {
        throw new UnsupportedOperationException("column " + name + " of " + table + " has type " + type
            + ", which the RowBinary encoder does not know");
      }
      names.add(name);
      columns.add(writer);
    }
    if (names.isEmpty()) {
      throw new UnsupportedOperationException(table + " has no insertable columns");
    }
    return new RowBinaryTable(table, names, columns);
  }

  /** The column list of the insert, quoted. */
  List<String> quotedColumns() {
    return quotedNames;
  }

  int columnCount() {
    return names.length;
  }

  /**
   * All rows in one body.
   *
   * @throws RowValueException for the first value that does not fit its column, or a field that is
   *     not a column
   */
  RowBinaryBuffer encode(List<JsonObject> rows) {
    RowBinaryBuffer out = newBuffer(rows.size());
    encode(rows, 0, rows.size(), out);
    return out;
  }

  /** A buffer sized for {@code rows} rows like the ones encoded so far. */
  RowBinaryBuffer newBuffer(int rows) {
    return new RowBinaryBuffer((int) Math.min(1L << 30, (long) rows * bytesPerRow * 9 / 8));
  }

  /**
   * Appends rows {@code from} (inclusive) to {@code to} (exclusive) to {@code out}; on a
   * {@link RowValueException} {@code out} may end inside the bad row.
   */
  void encode(List<JsonObject> rows, int from, int to, RowBinaryBuffer out) {
    int n = rows.size();
    int start = out.size();
    // the row's fields in column order; ABSENT for a field the row leaves out, null for a JSON null
    Object[] values = new Object[columns.length];
    // rows made by the same code put the same key instances in the same order: the column of the
    // key last seen at a position is found without hashing (a lookup per field in each row's own map
    // cost more than all the encoding)
    String[] lastKey = new String[columns.length + 1];
    int[] lastColumn = new int[columns.length + 1];
    for (int r = from; r < to; r++) {
      Arrays.fill(values, ABSENT);
      int position = 0;
      for (Map.Entry<String, Object> field : rows.get(r).getMap().entrySet()) {
        String key = field.getKey();
        int c;
        if (position < lastKey.length && lastKey[position] == key) {
          c = lastColumn[position];
        } else {
          Integer known = byName.get(key);
          if (known == null) {
            throw unknownField(key, r, n);
          }
          c = known;
          if (position < lastKey.length) {
            lastKey[position] = key;
            lastColumn[position] = c;
          }
        }
        values[c] = field.getValue();
        position++;
      }
      int c = 0;
      try {
        for (; c < columns.length; c++) {
          Object value = values[c];
          if (value == ABSENT) {
            columns[c].writeDefault(out);
          } else {
            columns[c].write(out, value);
          }
        }
      } catch (RowValueException e) {
        throw new RowValueException(e.code(), "Code: " + e.code() + ", " + e.getMessage() + " (column " + names[c]
            + ", row " + (r + 1) + " of " + n + ")");
      } catch (RuntimeException e) {
        // a value of a Java type no JSON row holds (a Map inside an array, ...)
        throw new RowValueException(RowBinaryColumn.TYPE_MISMATCH, "Code: " + RowBinaryColumn.TYPE_MISMATCH
            + ", Type mismatch: " + e + " (column " + names[c] + ", row " + (r + 1) + " of " + n + ")");
      }
    }
    if (to > from) {
      bytesPerRow = Math.max(16, (out.size() - start) / (to - from));
    }
  }

  private RowValueException unknownField(String field, int r, int n) {
    return new RowValueException(UNKNOWN_FIELD, "Code: " + UNKNOWN_FIELD + ", Unknown field found while encoding"
        + " RowBinary for " + table + ": " + field + " (row " + (r + 1) + " of " + n + ")");
  }

  static String quote(String identifier) {
    return "`" + identifier.replace("\\", "\\\\").replace("`", "\\`") + "`";
  }
}
