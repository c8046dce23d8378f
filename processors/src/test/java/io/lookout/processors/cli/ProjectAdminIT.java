package io.lookout.processors.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lookout.storage.config.StorageConfig;
import io.lookout.storage.postgres.PgPools;
import io.lookout.storage.postgres.PostgresConfig;
import io.lookout.storage.postgres.PostgresMigrator;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ProjectAdminIT {

  private Pool pool;
  private String schema;

  @BeforeEach
  void migrate(Vertx vertx) throws Exception {
    schema = "it_admin_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    PostgresConfig config = StorageConfig.load().postgres().withSchema(schema);
    pool = PgPools.create(vertx, config);
    PostgresMigrator.migrate(pool, schema).await(60, TimeUnit.SECONDS);
  }

  @AfterEach
  void drop() throws Exception {
    pool.query("DROP SCHEMA " + schema + " CASCADE").execute().await(30, TimeUnit.SECONDS);
    pool.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void createProjectIsIdempotentAndHonoursIdAndKey() throws Exception {
    ProjectAdmin admin = new ProjectAdmin(pool);
    String key = "0123456789abcdef0123456789abcdef";
    ProjectAdmin.ProjectInfo first = admin.createProject("acme", "backend", 42L, key).await(10, TimeUnit.SECONDS);
    ProjectAdmin.ProjectInfo again = admin.createProject("acme", "backend", null, null).await(10, TimeUnit.SECONDS);

    assertThat(first.projectId()).isEqualTo(42);
    assertThat(first.publicKey()).isEqualTo(key);
    assertThat(again).isEqualTo(first);
    assertThat(AdminCli.dsn("127.0.0.1:3000", first)).isEqualTo("http://" + key + "@127.0.0.1:3000/42");

    // the identity sequence moved past the pinned id
    ProjectAdmin.ProjectInfo other = admin.createProject("acme", "frontend", null, null).await(10, TimeUnit.SECONDS);
    assertThat(other.projectId()).isGreaterThan(42);
    assertThat(other.publicKey()).matches("[0-9a-f]{32}").isNotEqualTo(key);
    assertThat(admin.listProjects().await(10, TimeUnit.SECONDS)).hasSize(2);
  }

  @Test
  void conflictingIdOrForeignKeyIsRefused() throws Exception {
    ProjectAdmin admin = new ProjectAdmin(pool);
    ProjectAdmin.ProjectInfo a = admin.createProject("acme", "a", null, null).await(10, TimeUnit.SECONDS);
    assertThatThrownBy(() -> admin.createProject("acme", "a", a.projectId() + 100, null).await(10, TimeUnit.SECONDS))
        .hasMessageContaining("already exists");
    assertThatThrownBy(() -> admin.createProject("acme", "b", null, a.publicKey()).await(10, TimeUnit.SECONDS))
        .hasMessageContaining("belongs to project");
    assertThatThrownBy(() -> admin.createProject("acme", "c", null, "XYZ").await(10, TimeUnit.SECONDS))
        .hasMessageContaining("32 lower-case hex");
  }
}
