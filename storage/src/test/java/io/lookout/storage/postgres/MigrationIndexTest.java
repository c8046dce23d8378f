package io.lookout.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.storage.postgres.PostgresMigrator.Migration;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MigrationIndexTest {

  @Test
  void indexListsEverySqlFileOfTheFolder() throws IOException, URISyntaxException {
    // in a build the resources are a folder, so here (unlike in a jar) it can be listed
    Path folder = Path.of(getClass().getClassLoader().getResource(PostgresMigrator.INDEX).toURI()).getParent();
    List<String> files;
    try (Stream<Path> list = Files.list(folder)) {
      files = list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).sorted().toList();
    }
    assertThat(PostgresMigrator.migrations()).extracting(Migration::file).containsExactlyElementsOf(files);
  }

  @Test
  void versionsAscendAndChecksumsAreStable() {
    List<Migration> migrations = PostgresMigrator.migrations();
    assertThat(migrations).isNotEmpty();
    assertThat(migrations.get(0).version()).isEqualTo("0001");
    assertThat(migrations).extracting(Migration::checksum)
        .containsExactlyElementsOf(PostgresMigrator.migrations().stream().map(Migration::checksum).toList())
        .allMatch(c -> c.matches("[0-9a-f]{64}"));
  }

  @Test
  void lockKeyDiffersPerSchema() {
    assertThat(PostgresMigrator.lockKey("a")).isNotEqualTo(PostgresMigrator.lockKey("b"));
    assertThat(PostgresMigrator.lockKey("public")).isEqualTo(PostgresMigrator.lockKey("public"));
  }
}
