package io.lookout.storage.clickhouse.impl;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.DataStreamWriter;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;
import io.lookout.storage.clickhouse.ClickHouseClients;
import io.lookout.storage.clickhouse.ClickHouseConfig;
import io.lookout.storage.clickhouse.ClickHouseConfig.InsertFormat;
import io.lookout.storage.clickhouse.ClickHouseStatementException;
import io.lookout.storage.clickhouse.ClickHouseWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public final class ClickHouseWriterImpl implements ClickHouseWriter {

  private static final Logger LOG = LoggerFactory.getLogger(ClickHouseWriterImpl.class);

  /** Table names are spliced into SQL, so only plain (optionally database-qualified) identifiers. */
  private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

  private static final Object NO_ROW_BINARY = new Object();

  /** Rows encoded per piece of a streamed RowBinary body (~1 MB of error rows). */
  private static final int STREAM_CHUNK_ROWS = 1_000;
  /** Above this a batch could span two blocks of ClickHouse's max_insert_block_size (1,048,576). */
  private static final int STREAM_MAX_ROWS = 1_000_000;

  private static final Pattern SERVER_CODE = Pattern.compile("Code: (\\d+)");

  private final Client client;
  private final WorkerExecutor workers;
  private final String database;
  private final InsertFormat format;
  /** What insert learnt about a table: its RowBinary encoder, or NO_ROW_BINARY; forgotten after a failure. */
  private final Map<String, Object> tables = new ConcurrentHashMap<>();
  private volatile ZoneId serverZone;
  private final long callTimeoutMs;
  private final AtomicBoolean closed = new AtomicBoolean();

  public ClickHouseWriterImpl(Vertx vertx, ClickHouseConfig config, String database) {
    this.database = database;
    this.format = config.insertFormat();
    this.client = ClickHouseClients.create(config, database);
    // the client's calls block for a whole HTTP exchange: one worker per pooled connection, so
    // calls queue here instead of holding Vert.x's shared worker pool
    long maxBlockMs = (long) config.connectTimeoutMs() * 2 + config.socketTimeoutMs();
    this.callTimeoutMs = maxBlockMs;
    this.workers = vertx.createSharedWorkerExecutor("lookout-clickhouse", config.maxConnections(),
        maxBlockMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public Future<Integer> insert(String table, List<JsonObject> rows) {
    if (!TABLE.matcher(table).matches()) {
      return Future.failedFuture(new IllegalArgumentException("not a table name: '" + table + "'"));
    }
    if (rows.isEmpty()) {
      return Future.succeededFuture(0);
    }
    String what = "INSERT INTO " + database + "." + table + " (" + rows.size() + " rows)";
    return run(what, () -> {
      try {
        boolean learnt = !tables.containsKey(table);
        RowBinaryTable encoder = format == InsertFormat.ROW_BINARY ? rowBinary(table) : null;
        if (encoder != null) {
          try {
            sendRowBinary(what, table, encoder, rows);
          } catch (RowValueException e) {
            if (learnt || e.code() != RowBinaryTable.UNKNOWN_FIELD) {
              throw e;
            }
            // a field the table did not have when it was described: a migration may have added it
            tables.remove(table);
            encoder = rowBinary(table);
            if (encoder == null) {
              throw e;
            }
            sendRowBinary(what, table, encoder, rows);
          }
        } else {
          long start = System.nanoTime();
          JsonEachRow.Body body = JsonEachRow.encode(rows);
          long encoded = System.nanoTime();
          release(get(client.insert(table, body::writeTo, ClickHouseFormat.JSONEachRow, new InsertSettings())));
          LOG.debug("{}: {} bytes of JSONEachRow, encoded in {} ms, sent in {} ms", what, body.size(),
              (encoded - start) / 1_000_000, (System.nanoTime() - encoded) / 1_000_000);
        }
        return rows.size();
      } catch (Exception e) {
        // the table may have changed (a migration added the column a row now has): learn it again
        tables.remove(table);
        throw e;
      }
    });
  }

  /**
   * Sends the rows as RowBinary, encoding chunk after chunk while the request streams, so that
   * ClickHouse parses one chunk while the next is encoded instead of waiting for the whole body.
   *
   * <p>A value that does not fit is found part-way: the chunk holding it is not sent, and the body
   * ends with one stray byte instead. A RowBinary body that ends inside a row (every row of a table
   * with two or more columns takes at least two bytes) fails the whole INSERT with "Cannot read all
   * data", and a batch that fits one block (under {@code max_insert_block_size} rows) is stored only
   * when its body is complete: nothing of it is written. The row's own error is what the caller
   * gets. A batch that could span blocks, or a one-column table, is encoded completely first.
   */
  private void sendRowBinary(String what, String table, RowBinaryTable encoder, List<JsonObject> rows)
      throws Exception {
    long start = System.nanoTime();
    if (rows.size() > STREAM_MAX_ROWS || encoder.columnCount() < 2) {
      RowBinaryBuffer body = encoder.encode(rows);
      release(get(client.insert(table, encoder.quotedColumns(), body::writeTo, ClickHouseFormat.RowBinary,
          new InsertSettings())));
      LOG.debug("{}: {} bytes of RowBinary in {} ms", what, body.size(), (System.nanoTime() - start) / 1_000_000);
      return;
    }
    RowValueException[] bad = {null};
    long[] bytes = {0};
    DataStreamWriter stream = out -> {
      RowBinaryBuffer chunk = encoder.newBuffer(Math.min(rows.size(), STREAM_CHUNK_ROWS));
      for (int from = 0; from < rows.size(); from += STREAM_CHUNK_ROWS) {
        chunk.clear();
        try {
          encoder.encode(rows, from, Math.min(rows.size(), from + STREAM_CHUNK_ROWS), chunk);
        } catch (RowValueException e) {
          bad[0] = e;
          out.write(0);
          return;
        }
        chunk.writeTo(out);
        bytes[0] += chunk.size();
      }
    };
    try {
      release(get(client.insert(table, encoder.quotedColumns(), stream, ClickHouseFormat.RowBinary,
          new InsertSettings())));
    } catch (Exception e) {
      if (bad[0] != null) {
        throw bad[0];
      }
      throw e;
    }
    if (bad[0] != null) {
      // ClickHouse took a body that ends inside a row: never seen, and not expected of any version
      LOG.error("{}: ClickHouse accepted a body cut short by a bad row; rows before it may be stored", what);
      throw bad[0];
    }
    LOG.debug("{}: {} bytes of RowBinary streamed in {} ms", what, bytes[0], (System.nanoTime() - start) / 1_000_000);
  }

  /** The table's RowBinary encoder, learnt once with DESCRIBE; null if its types need JSONEachRow. */
  private RowBinaryTable rowBinary(String table) throws Exception {
    Object known = tables.get(table);
    if (known == null) {
      if (serverZone == null) {
        serverZone = ZoneId.of(queryRows("SELECT timezone() AS tz").get(0).getString("tz"));
      }
      try {
        known = RowBinaryTable.of(table, queryRows("DESCRIBE TABLE " + table), serverZone);
      } catch (UnsupportedOperationException e) {
        LOG.warn("inserts into {}.{} use JSONEachRow: {}", database, table, e.getMessage());
        known = NO_ROW_BINARY;
      }
      tables.put(table, known);
    }
    return known instanceof RowBinaryTable encoder ? encoder : null;
  }

  @Override
  public Future<List<JsonObject>> query(String sql) {
    return run(summary(sql), () -> queryRows(sql));
  }

  /** A SELECT on the calling thread. */
  private List<JsonObject> queryRows(String sql) throws Exception {
    String statement = stripSemicolon(sql) + "\nFORMAT JSONEachRow";
    // numbers, not the quoted strings ClickHouse sends for 64-bit integers by default
    QuerySettings settings = new QuerySettings().serverSetting("output_format_json_quote_64bit_integers", "0");
    QueryResponse response = get(client.query(statement, settings));
    try {
      return JsonEachRow.decode(response.getInputStream());
    } finally {
      release(response);
    }
  }

  @Override
  public Future<Void> execute(String sql) {
    return run(summary(sql), () -> {
      release(get(client.execute(stripSemicolon(sql))));
      return null;
    });
  }

  @Override
  public Future<Void> close() {
    if (!closed.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    return workers.<Void>executeBlocking(() -> {
      client.close();
      return null;
    }, false).eventually(workers::close);
  }

  private <T> Future<T> run(String what, ThrowingCallable<T> call) {
    if (closed.get()) {
      return Future.failedFuture(new IllegalStateException("ClickHouseWriter is closed"));
    }
    return workers.executeBlocking(() -> {
      try {
        return call.call();
      } catch (Exception e) {
        throw translate(what, e);
      }
    }, false);
  }

  private <T> T get(CompletableFuture<T> future) throws Exception {
    try {
      // requests are synchronous, so this future is normally complete already; the bound only
      // guards against a client that hands the work to another thread
      return future.get(callTimeoutMs, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | CompletionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** Gives the response's connection back to the pool; the statement's outcome is already known. */
  private static void release(AutoCloseable response) {
    try {
      response.close();
    } catch (Exception e) {
      LOG.debug("closing a ClickHouse response failed", e);
    }
  }

  static ClickHouseStatementException translate(String what, Throwable e) {
    Throwable t = e;
    while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof ClickHouseStatementException already) {
      return already;
    }
    ServerException server = findServerException(t);
    if (server != null) {
      String text = server.getMessage().strip();
      // 18.16 sends no X-ClickHouse-Exception-Code header, so the code is only in the text
      int code = server.getCode() > 0 ? server.getCode() : serverCode(text);
      return new ClickHouseStatementException(what + " failed: " + text, code, server.isRetryable(), t);
    }
    if (t instanceof RowValueException value) {
      return new ClickHouseStatementException(what + " failed: " + value.getMessage(), value.code(), false, t);
    }
    if (t instanceof JsonEachRow.ResultStreamException stream) {
      return new ClickHouseStatementException(what + " failed: " + stream.getMessage(),
          serverCode(stream.getMessage()), false, t);
    }
    return new ClickHouseStatementException(what + " failed: " + t, 0, true, t);
  }

  private static ServerException findServerException(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ServerException s) {
        return s;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }

  private static int serverCode(String text) {
    Matcher m = SERVER_CODE.matcher(text);
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  private static String stripSemicolon(String sql) {
    String s = sql.strip();
    while (s.endsWith(";")) {
      s = s.substring(0, s.length() - 1).strip();
    }
    return s;
  }

  /** The statement as errors quote it: first line, bounded, so a logged failure stays readable. */
  private static String summary(String sql) {
    String s = sql.strip();
    int nl = s.indexOf('\n');
    if (nl > 0) {
      s = s.substring(0, nl) + " ...";
    }
    return s.length() > 200 ? s.substring(0, 200) + " ..." : s;
  }

  @FunctionalInterface
  private interface ThrowingCallable<T> {
    T call() throws Exception;
  }
}
