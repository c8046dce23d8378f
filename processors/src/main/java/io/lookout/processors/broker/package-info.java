/**
 * The task broker between the pipeline's stages: {@link io.lookout.processors.broker.TaskBroker}
 * publishes opaque task bodies to Sentry-named queues ({@link io.lookout.processors.broker.TaskQueues})
 * and runs a {@link io.lookout.processors.broker.TaskHandler} on each, at least once. RabbitMQ
 * (default) or Redis lists, chosen by {@code broker.transport}; implementations in {@code impl/}.
 *
 * <p>Guarantees: a publish succeeds only once the broker holds the task durably; a task is acked
 * only after its handler's future succeeded; a failed task is retried after
 * {@code retry_delay_ms} up to {@code max_attempts}, then dead-lettered to {@code <queue>.dead}
 * with its error; tasks held by a worker that dies come back to the queue. Bounds:
 * {@code prefetch} per consumer, {@code rabbitmq_max_unconfirmed} for publishes in flight, and a
 * timeout on every call.
 */
package io.lookout.processors.broker;
