package io.lookout.processors;

import io.vertx.core.json.JsonObject;

/** The pipeline with {@code pipeline.transport = inline}: process and save in the consumer. */
class InlinePipelineIT extends PipelineItBase {

  @Override
  JsonObject pipelineOverrides() {
    return new JsonObject().put("pipeline", new JsonObject().put("transport", "inline"));
  }

  @Override
  int deadLettersExpected() {
    return 4; // inline, the event whose payload is not JSON is dead-lettered by the consumer too
  }
}
