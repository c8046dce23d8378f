package io.lookout.processors.cli;

import io.lookout.storage.config.Conf;
import io.lookout.storage.config.ConfLoader;
import io.lookout.storage.config.ConfigException;
import io.lookout.storage.config.StorageConfig;
import io.lookout.storage.postgres.PgPools;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/lookout admin <command>}: {@code create-project --org ORG --project SLUG [--id N]
 * [--public-key KEY]} prints the project's DSN; {@code list-projects} prints one line per key;
 * {@code create-token [--label L]} prints a new API bearer token (one line, only this once);
 * {@code list-tokens} prints id, label, scopes, creation and last use of each token (never the token);
 * {@code delete-token --id N} deletes one.
 */
public final class AdminCli {

  private static final Logger LOG = LoggerFactory.getLogger(AdminCli.class);

  private AdminCli() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  static int run(String[] args, PrintStream out) {
    return run(args, out, ConfLoader.fromEnvironment());
  }

  static int run(String[] args, PrintStream out, ConfLoader loader) {
    if (args.length == 0) {
      return usage();
    }
    Map<String, String> options;
    try {
      options = options(args);
    } catch (IllegalArgumentException e) {
      LOG.error("{}", e.getMessage());
      return usage();
    }
    Vertx vertx = Vertx.vertx();
    Pool pool = null;
    try {
      StorageConfig storage = StorageConfig.load(loader);
      pool = PgPools.create(vertx, storage.postgres());
      ProjectAdmin admin = new ProjectAdmin(pool);
      TokenAdmin tokens = new TokenAdmin(pool);
      switch (args[0]) {
        case "create-project" -> {
          String org = required(options, "org");
          String project = required(options, "project");
          Long id = options.containsKey("id") ? Long.valueOf(options.get("id")) : null;
          ProjectAdmin.ProjectInfo info = admin.createProject(org, project, id, options.get("public-key"))
              .await(30, TimeUnit.SECONDS);
          out.println(dsn(dsnBase(loader.load("gateway")), info));
        }
        case "list-projects" -> {
          List<ProjectAdmin.ProjectInfo> all = admin.listProjects().await(30, TimeUnit.SECONDS);
          String dsnBase = dsnBase(loader.load("gateway"));
          out.printf("%-20s %-20s %8s %-9s %s%n", "ORGANIZATION", "PROJECT", "ID", "STATUS", "DSN");
          for (ProjectAdmin.ProjectInfo p : all) {
            out.printf("%-20s %-20s %8d %-9s %s%n", p.organizationSlug(), p.projectSlug(), p.projectId(),
                p.status().equals("active") && p.keyStatus().equals("active") ? "active" : "disabled",
                dsn(dsnBase, p));
          }
        }
        case "create-token" -> out.println(tokens.createToken(options.getOrDefault("label", ""))
            .await(30, TimeUnit.SECONDS));
        case "list-tokens" -> {
          List<TokenAdmin.TokenInfo> all = tokens.listTokens().await(30, TimeUnit.SECONDS);
          out.printf("%6s %-24s %-24s %-24s %s%n", "ID", "LABEL", "CREATED", "LAST USED", "SCOPES");
          for (TokenAdmin.TokenInfo t : all) {
            out.printf("%6d %-24s %-24s %-24s %s%n", t.id(), t.label().isEmpty() ? "-" : t.label(),
                t.dateAdded(), t.lastUsed() == null ? "never" : t.lastUsed(),
                t.scopes().isEmpty() ? "all" : String.join(",", t.scopes()));
          }
        }
        case "delete-token" -> {
          long id = Long.parseLong(required(options, "id"));
          if (!tokens.deleteToken(id).await(30, TimeUnit.SECONDS)) {
            throw new IllegalArgumentException("no API token with id " + id);
          }
        }
        default -> {
          return usage();
        }
      }
      return 0;
    } catch (IllegalArgumentException | ConfigException e) {
      LOG.error("{}", e.getMessage());
      return 2;
    } catch (Exception e) {
      LOG.error("admin {} failed: {}", args[0], e.toString());
      return 1;
    } finally {
      if (pool != null) {
        pool.close();
      }
      vertx.close();
    }
  }

  static String dsn(String base, ProjectAdmin.ProjectInfo info) {
    return "http://" + info.publicKey() + "@" + base + "/" + info.projectId();
  }

  /** host:port SDKs reach the gateway on, from gateway.json's relay section. */
  static String dsnBase(JsonObject gateway) {
    JsonObject relay = Conf.section(gateway, "relay");
    return Conf.string(relay, "public_host", Conf.string(relay, "host", "127.0.0.1")) + ":"
        + Conf.integer(relay, "public_port", Conf.integer(relay, "port", 3000));
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
      }
      String name = args[i].substring(2);
      int eq = name.indexOf('=');
      if (eq >= 0) {
        options.put(name.substring(0, eq), name.substring(eq + 1));
      } else if (i + 1 < args.length) {
        options.put(name, args[++i]);
      } else {
        throw new IllegalArgumentException("--" + name + " needs a value");
      }
    }
    return options;
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }

  private static int usage() {
    LOG.error("usage: admin create-project --org ORG --project SLUG [--id N] [--public-key KEY] | list-projects"
        + " | create-token [--label L] | list-tokens | delete-token --id N");
    return 2;
  }
}
