package io.lookout.storage.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ClientFaultCause;
import java.time.temporal.ChronoUnit;

/**
 * Builds the client-v2 {@link Client} that Lookout uses for a {@link ClickHouseConfig}.
 *
 * <p>The client's calls block the calling thread (requests are not made asynchronous here): callers
 * run them on a worker, as {@link ClickHouseWriter} does.
 */
public final class ClickHouseClients {

  private ClickHouseClients() {
  }

  /** A client whose statements run in {@code config.database()}. */
  public static Client create(ClickHouseConfig config) {
    return create(config, config.database());
  }

  /**
   * A client whose statements run in {@code database}: the migrator needs one bound to a database
   * that exists ({@code system}) to create Lookout's, because ClickHouse rejects a request naming a
   * missing database before it reads the statement.
   */
  public static Client create(ClickHouseConfig config, String database) {
    return new Client.Builder()
        .addEndpoint(config.httpUrl())
        .setUsername(config.user())
        .setPassword(config.password())
        .setDefaultDatabase(database)
        // client-v2 names the database in the X-ClickHouse-Database header, which 18.16 ignores
        // (statements would silently run in `default`); the URL parameter works on every version
        .serverSetting("database", database)
        // ClickHouse 18.16 answers a compressed response the client cannot read: every result comes
        // back empty, with no error
        .compressServerResponse(false)
        .setConnectTimeout(config.connectTimeoutMs(), ChronoUnit.MILLIS)
        // waiting for a pooled connection is bounded like connecting
        .setConnectionRequestTimeout(config.connectTimeoutMs(), ChronoUnit.MILLIS)
        .setSocketTimeout(config.socketTimeoutMs(), ChronoUnit.MILLIS)
        .setMaxConnections(config.maxConnections())
        // only retry what cannot have reached the server: a retried insert into outcomes_raw would
        // count twice, and the batch owner already retries whole batches
        .retryOnFailures(ClientFaultCause.ConnectTimeout, ClientFaultCause.ConnectionRequestTimeout)
        .setClientName("lookout")
        .build();
  }
}
