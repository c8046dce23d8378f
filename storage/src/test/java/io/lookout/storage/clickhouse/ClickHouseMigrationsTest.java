package io.lookout.storage.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.storage.clickhouse.impl.Migration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ClickHouseMigrationsTest {

  @Test
  void scriptIsSplitAtStatementEndsOnly() {
    String sql = """
        -- a comment; not a statement end
        CREATE TABLE IF NOT EXISTS a (s String DEFAULT 'x;y') ENGINE = Memory;
        /* block; comment */
        ALTER TABLE a COMMENT COLUMN s 'it''s; fine';
        -- trailing comment only;
        """;

    List<String> statements = Migration.split(sql);

    assertThat(statements).hasSize(2);
    assertThat(statements.get(0)).startsWith("-- a comment; not a statement end")
        .endsWith("ENGINE = Memory");
    assertThat(statements.get(1)).startsWith("/* block; comment */").endsWith("'it''s; fine'");
  }

  @Test
  void indexListsEveryTableOfTheSchemaInOrder() {
    List<Migration> migrations = Migration.fromClasspath();

    assertThat(migrations).extracting(Migration::name).isSorted().doesNotHaveDuplicates();
    String all = String.join("\n", migrations.stream().flatMap(m -> m.statements().stream()).toList());
    for (String table : List.of("errors", "transactions", "outcomes_raw", "outcomes_hourly", "sessions",
        "sessions_hourly")) {
      assertThat(all).contains("CREATE TABLE IF NOT EXISTS " + table + "\n");
    }
    assertThat(all).contains("CREATE MATERIALIZED VIEW IF NOT EXISTS outcomes_mv_hourly TO outcomes_hourly");
  }

  /** The migrator relies on repeatable statements, and the schema must also run on 18.16. */
  @Test
  void statementsAreRepeatableAndAvoidWhatClickHouse1816Lacks() {
    Pattern unsupported = Pattern.compile(
        "\\b(Map|DateTime64|TTL|CODEC|LowCardinality|IPv4|IPv6|JSONExtract\\w*)\\b|\\{\\w+:\\w+}");
    for (Migration m : Migration.fromClasspath()) {
      for (String statement : m.statements()) {
        String code = withoutComments(statement);
        assertThat(unsupported.matcher(code).find()).as("%s uses a feature 18.16 lacks:\n%s", m.name(), code)
            .isFalse();
        if (code.toUpperCase(Locale.ROOT).startsWith("CREATE")) {
          assertThat(code).as(m.name()).containsPattern("^CREATE (TABLE|MATERIALIZED VIEW|VIEW|DATABASE) IF NOT EXISTS ");
        }
      }
    }
  }

  private static String withoutComments(String sql) {
    return sql.replaceAll("(?m)--.*$", "").replaceAll("(?s)/\\*.*?\\*/", "").strip();
  }
}
