package io.lookout.gateway;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point of the gateway (the relay job). The HTTP server arrives with the gateway issue. */
public final class GatewayMain {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayMain.class);

  private GatewayMain() {
  }

  public static void main(String[] args) {
    LOG.error("the gateway is not built yet: this release ships the storage layer and the stack only");
    System.exit(2);
  }
}
