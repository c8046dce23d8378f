package io.lookout.storage.clickhouse;

/**
 * A ClickHouse statement failed. The message starts with what was attempted and ends with
 * ClickHouse's own message (for example {@code Code: 117, ... Unknown field found while parsing
 * JSONEachRow format: bogus}).
 */
public class ClickHouseStatementException extends RuntimeException {

  private final int serverCode;
  private final boolean retryable;

  public ClickHouseStatementException(String message, int serverCode, boolean retryable, Throwable cause) {
    super(message, cause);
    this.serverCode = serverCode;
    this.retryable = retryable;
  }

  /** ClickHouse's error code ({@code Code: N}), or 0 when the server gave no answer. */
  public int serverCode() {
    return serverCode;
  }

  /**
   * True when trying the same statement again may succeed (no answer, timeout, or a server error
   * ClickHouse marks as transient); false for a statement or a row ClickHouse rejected.
   */
  public boolean retryable() {
    return retryable;
  }
}
