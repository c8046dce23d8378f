package io.lookout.processors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point of the processors (consumers and task workers), which arrive with the processors issue. */
public final class ProcessorsMain {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessorsMain.class);

  private ProcessorsMain() {
  }

  public static void main(String[] args) {
    LOG.error("the processors are not built yet: this release ships the storage layer and the stack only");
    System.exit(2);
  }
}
