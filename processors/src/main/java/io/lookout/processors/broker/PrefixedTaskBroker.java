package io.lookout.processors.broker;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/** {@code broker.queue_prefix}: the same broker, with every queue name prefixed. */
final class PrefixedTaskBroker implements TaskBroker {

  private final TaskBroker delegate;
  private final String prefix;

  PrefixedTaskBroker(TaskBroker delegate, String prefix) {
    this.delegate = delegate;
    this.prefix = prefix;
  }

  @Override
  public Future<Void> start() {
    return delegate.start();
  }

  @Override
  public Future<Void> publish(String queue, List<Buffer> bodies) {
    return delegate.publish(prefix + queue, bodies);
  }

  @Override
  public Future<TaskConsumer> consume(String queue, int prefetch, TaskHandler handler) {
    return delegate.consume(prefix + queue, prefetch, handler);
  }

  @Override
  public Future<Void> close() {
    return delegate.close();
  }

  @Override
  public String transport() {
    return delegate.transport();
  }
}
