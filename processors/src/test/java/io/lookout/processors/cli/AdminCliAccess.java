package io.lookout.processors.cli;

import io.lookout.storage.config.ConfLoader;
import java.io.PrintStream;

/** Lets tests in other packages run the admin CLI against their own configuration. */
public final class AdminCliAccess {

  private AdminCliAccess() {
  }

  public static int run(String[] args, PrintStream out, ConfLoader loader) {
    return AdminCli.run(args, out, loader);
  }
}
