package io.lookout.storage.config;

/** A configuration value is missing, malformed or out of range; the message names the key. */
public class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message);
  }
}
