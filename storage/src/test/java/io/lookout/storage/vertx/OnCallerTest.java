package io.lookout.storage.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OnCallerTest {

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** The contexts of two verticle instances: each instance gets the next event loop. */
  private Context[] twoLoops() throws Exception {
    List<Context> contexts = new CopyOnWriteArrayList<>();
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        contexts.add(context);
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setInstances(2)).await(10, TimeUnit.SECONDS);
    assertThat(thread(contexts.get(0))).isNotEqualTo(thread(contexts.get(1)));
    return contexts.toArray(new Context[0]);
  }

  private static Thread thread(Context context) throws Exception {
    CompletableFuture<Thread> thread = new CompletableFuture<>();
    context.runOnContext(v -> thread.complete(Thread.currentThread()));
    return thread.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aFutureCompletedOnAnotherEventLoopIsResumedOnTheCallers() throws Exception {
    Context[] loops = twoLoops();
    Thread callerThread = thread(loops[0]);
    CompletableFuture<Thread> ranOn = new CompletableFuture<>();
    CompletableFuture<String> value = new CompletableFuture<>();
    loops[0].runOnContext(v -> {
      Promise<String> answer = Promise.promise();
      OnCaller.capture().resume(answer.future()).onComplete(ar -> {
        ranOn.complete(Thread.currentThread());
        value.complete(ar.result());
      });
      loops[1].runOnContext(w -> answer.complete("pong"));
    });

    assertThat(ranOn.get(10, TimeUnit.SECONDS)).isSameAs(callerThread);
    assertThat(value.get(10, TimeUnit.SECONDS)).isEqualTo("pong");
  }

  @Test
  void offAContextAFutureIsPassedThrough() {
    Future<String> done = Future.succeededFuture("x");
    assertThat(OnCaller.capture().resume(done)).isSameAs(done);
  }
}
