package io.lookout.gateway.project;

import io.vertx.core.Future;
import java.util.Map;
import java.util.Set;

/** Where project states come from: Postgres (managed mode) or conf/projects (static mode). */
public interface ProjectSource {

  /** The states of the keys that exist; unknown keys are absent from the map. */
  Future<Map<String, ProjectState>> fetch(Set<String> publicKeys);

  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
