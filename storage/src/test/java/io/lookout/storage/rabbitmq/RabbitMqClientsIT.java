package io.lookout.storage.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.storage.StorageIt;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.rabbitmq.QueueOptions;
import io.vertx.rabbitmq.RabbitMQClient;
import io.vertx.rabbitmq.RabbitMQConsumer;
import io.vertx.rabbitmq.RabbitMQMessage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class RabbitMqClientsIT {

  @Test
  void publishesWithConfirmAndConsumesWithManualAck(Vertx vertx) throws Exception {
    RabbitMQClient client = RabbitMqClients.create(vertx, StorageIt.config().rabbitmq());
    String queue = StorageIt.uniqueName("it_queue");
    client.start().await(20, TimeUnit.SECONDS);
    try {
      client.queueDeclare(queue, true, false, true).await(5, TimeUnit.SECONDS);
      // consumer (with its handler) first, so the delivery cannot race the handler
      CompletableFuture<RabbitMQMessage> received = new CompletableFuture<>();
      RabbitMQConsumer consumer = client.basicConsumer(queue, new QueueOptions().setAutoAck(false))
          .await(5, TimeUnit.SECONDS);
      consumer.handler(received::complete);

      client.confirmSelect().await(5, TimeUnit.SECONDS);
      client.basicPublish("", queue, Buffer.buffer("{\"task\":1}")).await(5, TimeUnit.SECONDS);
      client.waitForConfirms(5000).await(10, TimeUnit.SECONDS);
      RabbitMQMessage message = received.get(10, TimeUnit.SECONDS);
      client.basicAck(message.envelope().getDeliveryTag(), false).await(5, TimeUnit.SECONDS);

      assertThat(new JsonObject(message.body()).getInteger("task")).isEqualTo(1);
      JsonObject info = client.messageCount(queue).map(n -> new JsonObject().put("n", n))
          .await(5, TimeUnit.SECONDS);
      assertThat(info.getLong("n")).isZero();
      consumer.cancel().await(5, TimeUnit.SECONDS);
      client.queueDelete(queue).await(5, TimeUnit.SECONDS);
    } finally {
      client.stop().await(10, TimeUnit.SECONDS);
    }
  }
}
