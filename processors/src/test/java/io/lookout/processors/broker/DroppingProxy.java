package io.lookout.processors.broker;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A TCP relay on 127.0.0.1 in front of a real service, whose connections a test can cut at once:
 * what a broker client sees when the network drops or the service restarts, without touching the
 * shared service. New connections go through again right after.
 */
final class DroppingProxy {

  private final Vertx vertx;
  private final NetServer server;
  private final NetClient client;
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();

  private DroppingProxy(Vertx vertx, NetServer server, NetClient client) {
    this.vertx = vertx;
    this.server = server;
    this.client = client;
  }

  static DroppingProxy start(Vertx vertx, String host, int port) throws Exception {
    NetClient client = vertx.createNetClient();
    NetServer server = vertx.createNetServer();
    DroppingProxy proxy = new DroppingProxy(vertx, server, client);
    server.connectHandler(in -> {
      in.pause();
      client.connect(port, host).onComplete(ar -> {
        if (ar.failed()) {
          in.close();
          return;
        }
        NetSocket out = ar.result();
        proxy.sockets.add(in);
        proxy.sockets.add(out);
        in.closeHandler(v -> out.close());
        out.closeHandler(v -> in.close());
        in.handler(out::write);
        out.handler(in::write);
        in.resume();
      });
    });
    server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    return proxy;
  }

  int port() {
    return server.actualPort();
  }

  /** Closes every relayed connection, both sides. */
  void dropAll() {
    for (NetSocket s : sockets) {
      s.close();
    }
    sockets.clear();
  }

  Future<Void> close() {
    dropAll();
    return server.close().compose(v -> client.close());
  }
}
