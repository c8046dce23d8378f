package io.lookout.gateway.ingest;

import io.lookout.gateway.auth.RequestAuth;
import io.lookout.gateway.project.ProjectState;
import java.time.Instant;

/**
 * One authenticated request's facts, gathered by the endpoint before the envelope is processed.
 *
 * @param remoteAddr the client's address as seen by the gateway (or the first X-Forwarded-For)
 */
public record IngestRequest(ProjectState project, RequestAuth auth, String remoteAddr, Instant receivedAt) {
}
