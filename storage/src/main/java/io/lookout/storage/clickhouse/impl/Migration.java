package io.lookout.storage.clickhouse.impl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One ClickHouse migration file: its statements, in order. ClickHouse's HTTP interface takes one
 * statement per request (18.16 has no multi-statements), so a file with several is split at the
 * semicolons that end them.
 *
 * @param name the file name, which is also what {@code lookout_migrations} records
 * @param checksum SHA-256 of the file, to notice a migration edited after it was applied
 */
public record Migration(String name, List<String> statements, String checksum) {

  public static final String DIRECTORY = "db/clickhouse/";
  public static final String INDEX = DIRECTORY + "migrations.txt";

  public Migration {
    statements = List.copyOf(statements);
  }

  /** The migrations listed in {@code db/clickhouse/migrations.txt}, in its order. */
  public static List<Migration> fromClasspath() {
    ClassLoader loader = Migration.class.getClassLoader();
    List<Migration> migrations = new ArrayList<>();
    for (String line : read(loader, INDEX).split("\n")) {
      String name = line.strip();
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      migrations.add(of(name, read(loader, DIRECTORY + name)));
    }
    return List.copyOf(migrations);
  }

  public static Migration of(String name, String sql) {
    List<String> statements = split(sql);
    if (statements.isEmpty()) {
      throw new IllegalArgumentException("migration " + name + " has no statement");
    }
    return new Migration(name, statements, sha256(sql));
  }

  /**
   * The statements of a script, without the semicolons that end them. Semicolons inside quotes,
   * backquotes and comments do not split; a part holding only comments is dropped.
   */
  public static List<String> split(String sql) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean hasCode = false;
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int end = sql.indexOf('\n', i);
        end = end < 0 ? n : end;
        current.append(sql, i, end);
        i = end;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        current.append(sql, i, end);
        i = end;
      } else if (c == '\'' || c == '"' || c == '`') {
        int end = closingQuote(sql, i);
        current.append(sql, i, end);
        hasCode = true;
        i = end;
      } else if (c == ';') {
        if (hasCode) {
          out.add(current.toString().strip());
        }
        current.setLength(0);
        hasCode = false;
        i++;
      } else {
        current.append(c);
        hasCode |= !Character.isWhitespace(c);
        i++;
      }
    }
    if (hasCode) {
      out.add(current.toString().strip());
    }
    return out;
  }

  /** Index just past the quote that closes the one at {@code start}; backslash escapes as in ClickHouse. */
  private static int closingQuote(String sql, int start) {
    char quote = sql.charAt(start);
    int i = start + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2; // doubled quote
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return sql.length();
  }

  private static String read(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + resource, e);
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
