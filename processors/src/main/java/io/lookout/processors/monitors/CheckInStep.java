package io.lookout.processors.monitors;

import static io.lookout.processors.monitors.MonitorStore.args;
import static io.lookout.processors.monitors.MonitorStore.time;

import io.lookout.processors.kafka.BatchProducer;
import io.lookout.processors.project.ProjectInfo;
import io.lookout.processors.project.ProjectRegistry;
import io.lookout.storage.kafka.message.CheckInMessage;
import io.lookout.storage.kafka.message.ClockPulseMessage;
import io.lookout.storage.kafka.message.IngestCodec;
import io.lookout.storage.kafka.message.IngestMessage;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the {@code ingest-monitors} consumer does with one poll batch, as Sentry's monitors consumer
 * does per message but in ONE transaction with one statement per table: upsert the monitors whose
 * check-ins carry a {@code monitor_config}, lock the batch's monitors, read the check-ins that the
 * batch continues (an {@code ok}/{@code error} with the id of an {@code in_progress} completes it),
 * write all check-ins, move each monitor's expected next check-in.
 *
 * <p>Undecodable messages, invalid payloads and unknown projects go to the dead-letter topic; a
 * check-in for a monitor that does not exist and brings no config, or that is disabled, is dropped
 * (as Sentry drops it). Replaying a batch is harmless: a check-in is keyed by its id, and a finished
 * one is never changed again.
 */
public final class CheckInStep {

  private static final Logger LOG = LoggerFactory.getLogger(CheckInStep.class);

  private static final String UPSERT_MONITORS = "INSERT INTO monitors (organization_id, project_id, slug, name, config) "
      + "SELECT o, p, s, s, c::jsonb FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS u(o, p, s, c) "
      + "ON CONFLICT (organization_id, slug) DO UPDATE SET config = EXCLUDED.config "
      + "WHERE monitors.project_id = EXCLUDED.project_id";

  /* in id order, so two consumers locking overlapping monitors cannot deadlock */
  private static final String LOCK_MONITORS = "SELECT m.id, m.organization_id, m.project_id, m.slug, m.status, "
      + "m.config, m.last_checkin FROM monitors m JOIN unnest($1::bigint[], $2::text[]) AS u(o, s) "
      + "ON m.organization_id = u.o AND m.slug = u.s ORDER BY m.id FOR UPDATE OF m";

  private static final String FIND_CHECKINS = "SELECT guid, monitor_id, status, date_added FROM monitor_checkins "
      + "WHERE guid = ANY($1::uuid[])";

  /* a finished check-in is final: only an in-progress one is updated */
  private static final String WRITE_CHECKINS = "INSERT INTO monitor_checkins (monitor_id, guid, project_id, status, "
      + "duration_ms, environment, date_added, date_updated, timeout_at, needs_issue) "
      + "SELECT m, g, p, st, d, e, da, now(), t, ni FROM unnest($1::bigint[], $2::uuid[], $3::bigint[], $4::text[], "
      + "$5::bigint[], $6::text[], $7::timestamptz[], $8::timestamptz[], $9::boolean[]) "
      + "AS u(m, g, p, st, d, e, da, t, ni) "
      + "ON CONFLICT (guid) DO UPDATE SET status = EXCLUDED.status, duration_ms = EXCLUDED.duration_ms, "
      + "date_updated = now(), timeout_at = EXCLUDED.timeout_at, needs_issue = EXCLUDED.needs_issue "
      + "WHERE monitor_checkins.status = 'in_progress'";

  private static final String MOVE_SCHEDULES = "UPDATE monitors m SET last_checkin = u.l, next_checkin = u.n, "
      + "next_checkin_latest = u.nl FROM unnest($1::bigint[], $2::timestamptz[], $3::timestamptz[], "
      + "$4::timestamptz[]) AS u(id, l, n, nl) WHERE m.id = u.id";

  private final Pool pool;
  private final ProjectRegistry projects;
  private final BatchProducer producer;
  private final String deadLetterTopic;
  private final MonitorMetrics metrics;

  public CheckInStep(Pool pool, ProjectRegistry projects, BatchProducer producer, String deadLetterTopic,
      MeterRegistry registry) {
    this.pool = pool;
    this.projects = projects;
    this.producer = producer;
    this.deadLetterTopic = deadLetterTopic;
    this.metrics = new MonitorMetrics(registry);
  }

  /** A check-in of the batch with where it came from. */
  private record Incoming(ConsumerRecord<byte[], byte[]> record, CheckIn checkIn, ProjectInfo project,
      Instant received) {
  }

  /** A monitor of the batch, locked, with the schedule changes the batch makes. */
  private static final class Monitor {
    final long id;
    final long projectId;
    final boolean active;
    final MonitorSchedule schedule;
    Instant lastCheckin;
    Instant next;
    Instant nextLatest;
    boolean moved;

    Monitor(Row row) {
      id = row.getLong("id");
      projectId = row.getLong("project_id");
      active = "active".equals(row.getString("status"));
      schedule = MonitorStore.schedule(MonitorStore.json(row, "config"));
      lastCheckin = MonitorStore.instant(row, "last_checkin");
    }
  }

  /** One row to write: a new check-in or the completion of an in-progress one. */
  private static final class Write {
    long monitorId;
    UUID guid;
    long projectId;
    String status;
    Long durationMs;
    String environment;
    Instant dateAdded;
    Instant timeoutAt;
    /** A finished check-in, for {@link MonitorIssues} to evaluate against the monitor's incident. */
    boolean needsIssue;
  }

  private record Key(long organizationId, String slug) {
  }

  /** Writes the batch; succeeds once it is committed and the dead letters are sent. */
  public Future<Void> handle(List<ConsumerRecord<byte[], byte[]>> records) {
    List<ProducerRecord<byte[], byte[]>> dead = new ArrayList<>();
    List<ConsumerRecord<byte[], byte[]>> kept = new ArrayList<>();
    List<CheckInMessage> messages = new ArrayList<>();
    Set<Long> projectIds = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      IngestMessage message;
      try {
        message = IngestCodec.decode(record.value() == null ? new byte[0] : record.value());
      } catch (RuntimeException e) {
        dead.add(deadLetter(record, "invalid message: " + e.getMessage()));
        continue;
      }
      if (message instanceof ClockPulseMessage) {
        continue; // Sentry's clock; this scheduler keeps its own time
      }
      if (!(message instanceof CheckInMessage checkIn)) {
        dead.add(deadLetter(record, "unexpected message type '" + message.type() + "' on ingest-monitors"));
        continue;
      }
      kept.add(record);
      messages.add(checkIn);
      projectIds.add(checkIn.projectId());
    }
    return projects.getAll(projectIds).compose(found -> {
      List<Incoming> incoming = new ArrayList<>();
      for (int i = 0; i < messages.size(); i++) {
        CheckInMessage m = messages.get(i);
        Optional<ProjectInfo> project = found.get(m.projectId());
        if (project.isEmpty()) {
          dead.add(deadLetter(kept.get(i), "project " + m.projectId() + " does not exist"));
          continue;
        }
        try {
          CheckIn checkIn = CheckIn.parse(m.payload());
          if (checkIn.monitorConfig() != null) {
            MonitorSchedule.fromConfig(checkIn.monitorConfig()); // refuse a config the scheduler could not use
          }
          incoming.add(new Incoming(kept.get(i), checkIn, project.get(), Instant.ofEpochSecond(m.startTime())));
        } catch (IllegalArgumentException e) {
          metrics.dropped("invalid");
          dead.add(deadLetter(kept.get(i), "invalid check-in: " + e.getMessage()));
        }
      }
      if (incoming.isEmpty()) {
        return Future.<Void>succeededFuture();
      }
      return pool.withTransaction(conn -> write(conn, incoming));
    }).compose(v -> sendDead(dead));
  }

  private Future<Void> write(SqlConnection conn, List<Incoming> incoming) {
    // the last config of a monitor in the batch wins
    Map<Key, Incoming> configs = new LinkedHashMap<>();
    Set<Key> keys = new LinkedHashSet<Key>();
    for (Incoming in : incoming) {
      Key key = new Key(in.project().organizationId(), in.checkIn().slug());
      keys.add(key);
      if (in.checkIn().monitorConfig() != null) {
        configs.put(key, in);
      }
    }
    Future<?> upsert = Future.succeededFuture();
    if (!configs.isEmpty()) {
      int n = configs.size();
      Long[] orgs = new Long[n];
      Long[] projectIds = new Long[n];
      String[] slugs = new String[n];
      String[] json = new String[n];
      int i = 0;
      for (Map.Entry<Key, Incoming> e : configs.entrySet()) {
        orgs[i] = e.getKey().organizationId();
        projectIds[i] = e.getValue().project().id();
        slugs[i] = e.getKey().slug();
        json[i++] = e.getValue().checkIn().monitorConfig().encode();
      }
      upsert = conn.preparedQuery(UPSERT_MONITORS).execute(args(orgs, projectIds, slugs, json));
    }
    Long[] lockOrgs = keys.stream().map(Key::organizationId).toArray(Long[]::new);
    String[] lockSlugs = keys.stream().map(Key::slug).toArray(String[]::new);
    UUID[] guids = incoming.stream().map(in -> in.checkIn().id()).distinct().toArray(UUID[]::new);
    Map<Key, Monitor> monitors = new HashMap<>();
    Map<UUID, Row> existing = new HashMap<>();
    return upsert
        .compose(v -> conn.preparedQuery(LOCK_MONITORS).execute(args(lockOrgs, lockSlugs)))
        .compose(rows -> {
          for (Row row : rows) {
            monitors.put(new Key(row.getLong("organization_id"), row.getString("slug")), new Monitor(row));
          }
          return conn.preparedQuery(FIND_CHECKINS).execute(args((Object) guids));
        })
        .compose(rows -> {
          for (Row row : rows) {
            existing.put(row.getUUID("guid"), row);
          }
          Map<UUID, Write> writes = apply(incoming, monitors, existing);
          return writeCheckIns(conn, writes.values()).compose(v -> moveSchedules(conn, monitors.values()));
        });
  }

  /** Works out, in batch order, what each check-in does to its check-in row and its monitor. */
  private Map<UUID, Write> apply(List<Incoming> incoming, Map<Key, Monitor> monitors, Map<UUID, Row> existing) {
    Map<UUID, Write> writes = new LinkedHashMap<>();
    for (Incoming in : incoming) {
      CheckIn c = in.checkIn();
      Monitor monitor = monitors.get(new Key(in.project().organizationId(), c.slug()));
      if (monitor == null) {
        metrics.dropped("unknown_monitor");
        LOG.debug("check-in for unknown monitor {} of project {} dropped", c.slug(), in.project().id());
        continue;
      }
      if (monitor.projectId != in.project().id()) {
        metrics.dropped("other_project");
        LOG.debug("check-in for monitor {} from project {}, which does not own it: dropped", c.slug(),
            in.project().id());
        continue;
      }
      if (!monitor.active || monitor.schedule == null) {
        metrics.dropped("disabled");
        continue;
      }
      Write write = writes.get(c.id());
      Row stored = existing.get(c.id());
      if (write == null && stored != null) {
        if (stored.getLong("monitor_id") != monitor.id) {
          metrics.dropped("other_monitor");
          continue;
        }
        write = new Write();
        write.monitorId = monitor.id;
        write.guid = c.id();
        write.projectId = monitor.projectId;
        write.status = stored.getString("status");
        write.dateAdded = MonitorStore.instant(stored, "date_added");
        write.environment = c.environment();
      }
      if (write != null) {
        // a check-in seen before: only an in-progress one can be finished, once
        if (!CheckIn.IN_PROGRESS.equals(write.status) || CheckIn.IN_PROGRESS.equals(c.status())) {
          metrics.dropped("already_finished");
          continue;
        }
        write.status = c.status();
        write.durationMs = c.durationMs() != null ? c.durationMs()
            : Math.max(0, Duration.between(write.dateAdded, in.received()).toMillis());
        write.timeoutAt = null;
        write.needsIssue = !CheckIn.IN_PROGRESS.equals(c.status());
        writes.put(c.id(), write);
        metrics.checkIn(c.status());
        continue;
      }
      write = new Write();
      write.monitorId = monitor.id;
      write.guid = c.id();
      write.projectId = monitor.projectId;
      write.status = c.status();
      write.durationMs = CheckIn.IN_PROGRESS.equals(c.status()) ? null : c.durationMs();
      write.environment = c.environment();
      write.dateAdded = in.received();
      write.timeoutAt = CheckIn.IN_PROGRESS.equals(c.status()) ? monitor.schedule.timeoutAt(in.received()) : null;
      write.needsIssue = !CheckIn.IN_PROGRESS.equals(c.status());
      writes.put(c.id(), write);
      metrics.checkIn(c.status());
      // a new check-in (in progress or not) says the job ran: the next one is due a period later
      if (monitor.lastCheckin == null || !in.received().isBefore(monitor.lastCheckin)) {
        monitor.lastCheckin = in.received();
        monitor.next = monitor.schedule.nextCheckin(in.received());
        monitor.nextLatest = monitor.schedule.latest(monitor.next);
        monitor.moved = true;
      }
    }
    return writes;
  }

  private static Future<Void> writeCheckIns(SqlConnection conn, java.util.Collection<Write> writes) {
    if (writes.isEmpty()) {
      return Future.succeededFuture();
    }
    int n = writes.size();
    Long[] monitors = new Long[n];
    UUID[] guids = new UUID[n];
    Long[] projects = new Long[n];
    String[] statuses = new String[n];
    Long[] durations = new Long[n];
    String[] environments = new String[n];
    OffsetDateTime[] added = new OffsetDateTime[n];
    OffsetDateTime[] timeouts = new OffsetDateTime[n];
    Boolean[] issues = new Boolean[n];
    int i = 0;
    for (Write w : writes) {
      monitors[i] = w.monitorId;
      guids[i] = w.guid;
      projects[i] = w.projectId;
      statuses[i] = w.status;
      durations[i] = w.durationMs;
      environments[i] = w.environment;
      added[i] = time(w.dateAdded);
      timeouts[i] = time(w.timeoutAt);
      issues[i++] = w.needsIssue;
    }
    return conn.preparedQuery(WRITE_CHECKINS)
        .execute(args(monitors, guids, projects, statuses, durations, environments, added, timeouts, issues))
        .mapEmpty();
  }

  private static Future<Void> moveSchedules(SqlConnection conn, java.util.Collection<Monitor> monitors) {
    List<Monitor> moved = monitors.stream().filter(m -> m.moved).toList();
    if (moved.isEmpty()) {
      return Future.succeededFuture();
    }
    Long[] ids = moved.stream().map(m -> m.id).toArray(Long[]::new);
    OffsetDateTime[] last = moved.stream().map(m -> time(m.lastCheckin)).toArray(OffsetDateTime[]::new);
    OffsetDateTime[] next = moved.stream().map(m -> time(m.next)).toArray(OffsetDateTime[]::new);
    OffsetDateTime[] latest = moved.stream().map(m -> time(m.nextLatest)).toArray(OffsetDateTime[]::new);
    return conn.preparedQuery(MOVE_SCHEDULES).execute(args(ids, last, next, latest)).mapEmpty();
  }

  private Future<Void> sendDead(List<ProducerRecord<byte[], byte[]>> dead) {
    if (dead.isEmpty()) {
      return Future.succeededFuture();
    }
    return producer.send(dead);
  }

  private ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
    LOG.warn("{}[{}]@{} dead-lettered: {}", record.topic(), record.partition(), record.offset(), reason);
    metrics.deadLettered();
    ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(deadLetterTopic, null, record.key(), record.value());
    out.headers().add(new RecordHeader("error", reason.getBytes(StandardCharsets.UTF_8)));
    out.headers().add(new RecordHeader("original_topic", record.topic().getBytes(StandardCharsets.UTF_8)));
    out.headers().add(new RecordHeader("original_partition",
        Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8)));
    out.headers().add(new RecordHeader("original_offset",
        Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8)));
    return out;
  }
}
