package io.lookout.storage.clickhouse.impl;

/**
 * A row holds a value its column cannot take, found while encoding, before anything is sent. Its
 * code is the one ClickHouse gives such an error, so callers treat it as they treat ClickHouse's.
 */
final class RowValueException extends RuntimeException {

  private final int code;

  RowValueException(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  int code() {
    return code;
  }
}
