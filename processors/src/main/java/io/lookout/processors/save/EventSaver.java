package io.lookout.processors.save;

import io.lookout.processors.save.SaveItem.AttachmentFile;
import io.lookout.processors.save.SaveItem.Kind;
import io.lookout.storage.json.JsonBytes;
import io.lookout.storage.nodestore.Node;
import io.lookout.storage.nodestore.Nodestore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The save stage's writes for a whole batch, in ONE transaction with one statement per table: issue
 * lookup by hash, new issues (short id counters, groups, group hashes), nodestore rows, issue
 * counters, releases and environments, attachments, user reports. Sentry's {@code save_event} does
 * these per event, with a nodestore write each; here a batch of 500 events costs about ten
 * statements.
 *
 * <p>Replays are harmless: an event's nodestore row is inserted only if absent
 * ({@link Nodestore#insertNew}), and only events inserted by this transaction count towards their
 * issue's {@code times_seen}. Two workers saving the first events of the same new issue at once take
 * a transaction-scoped advisory lock per (project, primary hash), in sorted order, before creating
 * it: the second one finds the first one's issue.
 */
public final class EventSaver {

  private static final String FIND_HASHES = "SELECT gh.project_id, gh.hash, gh.group_id FROM group_hashes gh "
      + "JOIN unnest($1::bigint[], $2::text[]) AS u(p, h) ON gh.project_id = u.p AND gh.hash = u.h";

  private static final String LOCK_HASHES =
      "SELECT pg_advisory_xact_lock(k) FROM (SELECT unnest($1::bigint[]) AS k ORDER BY 1) s";

  /**
   * Two-key advisory locks (a space apart from the one-key issue locks above) on buckets of
   * (project, event id), in bucket order in one statement: exclusive for a bucket holding a report,
   * shared for one holding only new events, so event batches never wait for each other.
   */
  private static final String LOCK_EVENTS = "SELECT CASE WHEN x THEN pg_advisory_xact_lock(2, k) "
      + "ELSE pg_advisory_xact_lock_shared(2, k) END "
      + "FROM (SELECT k, x FROM unnest($1::int[], $2::bool[]) AS u(k, x) ORDER BY k) s";

  /**
   * Buckets of {@link #LOCK_EVENTS}: a transaction holds at most this many of those locks (Postgres'
   * lock table is shared and bounded), and a report waits at most for the event batches in flight.
   */
  private static final int EVENT_LOCK_BUCKETS = 64;

  private static final String NEXT_SHORT_IDS = "INSERT INTO project_counters AS pc (project_id, value) "
      + "SELECT * FROM unnest($1::bigint[], $2::bigint[]) "
      + "ON CONFLICT (project_id) DO UPDATE SET value = pc.value + EXCLUDED.value "
      + "RETURNING project_id, value";

  private static final String INSERT_GROUPS = "INSERT INTO groups (project_id, short_id, title, culprit, "
      + "message, level, type, platform, first_seen, last_seen, times_seen, metadata) "
      + "SELECT p, s, t, c, m, l, ty, pl, f, f, 0, md::jsonb FROM unnest($1::bigint[], $2::bigint[], "
      + "$3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[], "
      + "$10::text[]) AS u(p, s, t, c, m, l, ty, pl, f, md) RETURNING id, project_id, short_id";

  private static final String INSERT_HASHES = "INSERT INTO group_hashes (project_id, hash, group_id) "
      + "SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[]) ON CONFLICT DO NOTHING";

  /*
   * The FOR UPDATE sub-select locks the issues in id order (no deadlock between two batches) and
   * gives the status BEFORE this update, which is what tells a regression.
   */
  private static final String COUNT_EVENTS = "UPDATE groups g SET "
      + "times_seen = g.times_seen + u.n, "
      + "first_seen = LEAST(g.first_seen, u.first_seen), "
      + "last_seen = GREATEST(g.last_seen, u.last_seen), "
      + "latest_event_id = CASE WHEN u.last_seen >= g.last_seen OR g.latest_event_id IS NULL "
      + "THEN u.latest ELSE g.latest_event_id END, "
      + "level = CASE WHEN u.last_seen >= g.last_seen THEN u.level ELSE g.level END, "
      + "status = CASE WHEN o.old_status = 'resolved' THEN 'unresolved' ELSE g.status END, "
      + "substatus = CASE WHEN o.old_status = 'resolved' THEN 'regressed' ELSE g.substatus END, "
      + "resolved_at = CASE WHEN o.old_status = 'resolved' THEN NULL ELSE g.resolved_at END "
      + "FROM unnest($1::bigint[], $2::bigint[], $3::timestamptz[], $4::timestamptz[], $5::text[], "
      + "$6::text[]) AS u(id, n, first_seen, last_seen, latest, level), "
      + "(SELECT id, status AS old_status FROM groups WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE) o "
      + "WHERE g.id = u.id AND o.id = u.id RETURNING g.id, o.old_status";

  private static final String INSERT_RELEASES = "INSERT INTO releases (organization_id, version) "
      + "SELECT DISTINCT * FROM unnest($1::bigint[], $2::text[]) ON CONFLICT DO NOTHING";

  private static final String LINK_RELEASES = "INSERT INTO release_projects (release_id, project_id) "
      + "SELECT r.id, u.p FROM unnest($1::bigint[], $2::text[], $3::bigint[]) AS u(o, v, p) "
      + "JOIN releases r ON r.organization_id = u.o AND r.version = u.v ON CONFLICT DO NOTHING";

  private static final String INSERT_ENVIRONMENTS = "INSERT INTO environments (organization_id, name) "
      + "SELECT DISTINCT * FROM unnest($1::bigint[], $2::text[]) ON CONFLICT DO NOTHING";

  private static final String LINK_ENVIRONMENTS = "INSERT INTO environment_projects (environment_id, project_id) "
      + "SELECT e.id, u.p FROM unnest($1::bigint[], $2::text[], $3::bigint[]) AS u(o, v, p) "
      + "JOIN environments e ON e.organization_id = u.o AND e.name = u.v ON CONFLICT DO NOTHING";

  private static final String INSERT_BLOBS = "INSERT INTO file_blobs (checksum, size, data) "
      + "SELECT * FROM unnest($1::text[], $2::bigint[], $3::bytea[]) ON CONFLICT (checksum) DO NOTHING";

  private static final String INSERT_ATTACHMENTS = "INSERT INTO event_attachments "
      + "(project_id, event_id, group_id, type, name, content_type, size, blob_id) "
      + "SELECT u.p, u.e, u.g, u.t, u.n, u.ct, u.s, b.id FROM unnest($1::bigint[], $2::text[], "
      + "$3::bigint[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[]) "
      + "AS u(p, e, g, t, n, ct, s, ck) JOIN file_blobs b ON b.checksum = u.ck "
      + "WHERE NOT EXISTS (SELECT 1 FROM event_attachments a WHERE a.project_id = u.p "
      + "AND a.event_id = u.e AND a.name = u.n AND a.blob_id = b.id)";

  private static final String UPSERT_REPORTS = "INSERT INTO user_reports "
      + "(project_id, event_id, group_id, name, email, comments, date_added) "
      + "SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], "
      + "$6::text[], $7::timestamptz[]) ON CONFLICT (project_id, event_id) DO UPDATE SET "
      + "name = EXCLUDED.name, email = EXCLUDED.email, comments = EXCLUDED.comments, "
      + "group_id = COALESCE(EXCLUDED.group_id, user_reports.group_id)";

  /** Links reports saved before their event to the event's issue, once the event is saved. */
  private static final String LINK_REPORTS = "UPDATE user_reports r SET group_id = u.g "
      + "FROM unnest($1::bigint[], $2::text[], $3::bigint[]) AS u(p, e, g) "
      + "WHERE r.project_id = u.p AND r.event_id = u.e AND r.group_id IS NULL";

  private static final Set<String> LEVELS = Set.of("debug", "info", "warning", "error", "fatal", "sample");

  private final Pool pool;
  private final Nodestore nodestore;
  private final KnownNames knownReleases;
  private final KnownNames knownEnvironments;
  private final Timer saveTimer;

  public EventSaver(Pool pool, Nodestore nodestore, int knownNamesCacheSize, MeterRegistry registry) {
    this.pool = pool;
    this.nodestore = nodestore;
    this.knownReleases = new KnownNames(knownNamesCacheSize);
    this.knownEnvironments = new KnownNames(knownNamesCacheSize);
    this.saveTimer = Timer.builder("lookout.save.transaction")
        .description("time to write one batch of events in one Postgres transaction")
        .register(registry);
  }

  /**
   * Which of these node ids the nodestore holds. Reads the nodes whole: only tasks whose
   * processing-store entry is gone ask, which is rare.
   */
  public Future<Set<String>> savedNodeIds(Collection<String> nodeIds) {
    if (nodeIds.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    return nodestore.getMany(nodeIds).map(Map::keySet);
  }

  /**
   * Writes the batch in one transaction. The results come in the order of {@code items}; the future
   * succeeds only once the transaction committed.
   */
  public Future<List<SavedEvent>> save(List<SaveItem> items) {
    if (items.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    long start = System.nanoTime();
    Batch batch = new Batch(items);
    List<Instant> days = new ArrayList<>();
    for (SaveItem item : items) {
      if (item.hasEvent()) {
        days.add(item.timestamp());
      }
    }
    // partitions first, outside the transaction: DDL must not wait for a pooled connection inside it
    return nodestore.ensurePartitionsFor(days)
        .compose(v -> pool.withTransaction(conn -> batch.run(conn)))
        .onSuccess(v -> {
          saveTimer.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
          knownReleases.addAll(batch.releases.keySet());
          knownEnvironments.addAll(batch.environments.keySet());
        });
  }

  /** (project, hash): the key of an issue's fingerprint. */
  private record HashKey(long projectId, String hash) {
  }

  /** (organization, project, name) of a release or environment seen in a batch. */
  private record NameKey(long organizationId, long projectId, String name) {
  }

  /** The state of one batch through its statements. */
  private final class Batch {
    final List<SaveItem> items;
    final Map<HashKey, Long> groupsByHash = new HashMap<>();
    final Long[] groupOf;
    final boolean[] isNew;
    final boolean[] isNewGroup;
    final boolean[] isRegression;
    final byte[][] json;
    final Set<Long> createdGroups = new HashSet<>();
    final Map<NameKey, Boolean> releases = new LinkedHashMap<>();
    final Map<NameKey, Boolean> environments = new LinkedHashMap<>();

    Batch(List<SaveItem> items) {
      this.items = items;
      int n = items.size();
      groupOf = new Long[n];
      isNew = new boolean[n];
      isNewGroup = new boolean[n];
      isRegression = new boolean[n];
      json = new byte[n][];
      for (SaveItem item : items) {
        if (item.hasEvent()) {
          addName(releases, knownReleases, item, item.event().getValue("release"));
          addName(environments, knownEnvironments, item, item.event().getValue("environment"));
        }
      }
    }

    /** Issue of each event that reports of this batch name and that an earlier batch saved. */
    final Map<String, Long> reportedGroups = new HashMap<>();

    /**
     * A report and its event may be saved at the same moment by two transactions: each would miss
     * the other's uncommitted row, and the report would stay without its issue. The report's
     * transaction locks the event's bucket exclusively, the event's shares it, both after every issue
     * lock of the batch; whichever comes second sees the first one committed (the report finds the
     * event's node, or the event finds the report).
     */
    private Future<Void> lockReportedEvents(SqlConnection conn) {
      TreeMap<Integer, Boolean> buckets = new TreeMap<>(); // bucket -> exclusive
      for (int i = 0; i < items.size(); i++) {
        SaveItem item = items.get(i);
        boolean report = item.report() != null;
        if (report || (item.kind() == Kind.ERROR && isNew[i] && groupOf[i] != null)) {
          int bucket = Math.floorMod((item.projectId() + ":" + item.eventId()).hashCode(), EVENT_LOCK_BUCKETS);
          buckets.merge(bucket, report, Boolean::logicalOr);
        }
      }
      if (buckets.isEmpty()) {
        return Future.succeededFuture();
      }
      return conn.preparedQuery(LOCK_EVENTS).execute(args(buckets.keySet().toArray(Integer[]::new),
          buckets.values().toArray(Boolean[]::new))).mapEmpty();
    }

    /** Reports arriving after their event: the event's issue is in its stored node. Rare. */
    private Future<Void> groupsOfReportedEvents(SqlConnection conn) {
      List<String> ids = new ArrayList<>();
      Map<String, String> keyOfId = new HashMap<>();
      for (SaveItem item : items) {
        if (item.report() != null && !item.hasEvent()) {
          String id = Nodestore.nodeId(item.projectId(), item.eventId());
          ids.add(id);
          keyOfId.put(id, item.projectId() + ":" + item.eventId());
        }
      }
      if (ids.isEmpty()) {
        return Future.succeededFuture();
      }
      return nodestore.getMany(conn, ids).map(found -> {
        for (Map.Entry<String, byte[]> e : found.entrySet()) {
          try {
            Object group = new JsonObject(Buffer.buffer(e.getValue())).getValue("group_id");
            if (group instanceof Number n) {
              reportedGroups.put(keyOfId.get(e.getKey()), n.longValue());
            }
          } catch (RuntimeException ignored) {
            // a node that is not JSON links nothing
          }
        }
        return null;
      });
    }

    Future<List<SavedEvent>> run(SqlConnection conn) {
      Set<HashKey> allHashes = new HashSet<>();
      for (SaveItem item : items) {
        if (item.kind() == Kind.ERROR) {
          for (String hash : item.grouping().hashes()) {
            allHashes.add(new HashKey(item.projectId(), hash));
          }
        }
      }
      return findGroups(conn, allHashes)
          .compose(v -> createMissingGroups(conn))
          .compose(v -> insertHashes(conn))
          .compose(v -> insertNodes(conn))
          .compose(v -> countEvents(conn))
          .compose(v -> names(conn, releases, INSERT_RELEASES, LINK_RELEASES))
          .compose(v -> names(conn, environments, INSERT_ENVIRONMENTS, LINK_ENVIRONMENTS))
          .compose(v -> attachments(conn))
          .compose(v -> lockReportedEvents(conn))
          .compose(v -> groupsOfReportedEvents(conn))
          .compose(v -> reports(conn))
          .compose(v -> linkReports(conn))
          .map(v -> results());
    }

    private Future<Void> findGroups(SqlConnection conn, Set<HashKey> keys) {
      if (keys.isEmpty()) {
        return Future.succeededFuture();
      }
      Long[] projects = new Long[keys.size()];
      String[] hashes = new String[keys.size()];
      int i = 0;
      for (HashKey key : keys) {
        projects[i] = key.projectId();
        hashes[i++] = key.hash();
      }
      return conn.preparedQuery(FIND_HASHES).execute(args(projects, hashes)).map(rows -> {
        for (Row row : rows) {
          groupsByHash.put(new HashKey(row.getLong(0), row.getString(1)), row.getLong(2));
        }
        assignGroups();
        return null;
      });
    }

    /** Each error takes the issue of its first hash (primary first) that has one. */
    private void assignGroups() {
      for (int i = 0; i < items.size(); i++) {
        SaveItem item = items.get(i);
        if (item.kind() != Kind.ERROR || groupOf[i] != null) {
          continue;
        }
        for (String hash : item.grouping().hashes()) {
          Long group = groupsByHash.get(new HashKey(item.projectId(), hash));
          if (group != null) {
            groupOf[i] = group;
            break;
          }
        }
      }
    }

    /** The first event (in batch order) of each issue that does not exist yet, by primary hash. */
    private Map<HashKey, Integer> missing() {
      Map<HashKey, Integer> firsts = new LinkedHashMap<>();
      for (int i = 0; i < items.size(); i++) {
        SaveItem item = items.get(i);
        if (item.kind() == Kind.ERROR && groupOf[i] == null) {
          HashKey key = new HashKey(item.projectId(), item.grouping().primaryHash());
          Integer first = firsts.get(key);
          if (first == null || items.get(first).timestamp().isAfter(item.timestamp())) {
            firsts.put(key, i);
          }
        }
      }
      return firsts;
    }

    private Future<Void> createMissingGroups(SqlConnection conn) {
      Map<HashKey, Integer> missing = missing();
      if (missing.isEmpty()) {
        return Future.succeededFuture();
      }
      // another worker may be creating the same issues: serialize on the primary hashes, then look again
      Long[] locks = missing.keySet().stream().map(EventSaver::lockKey).toArray(Long[]::new);
      Set<HashKey> recheck = new HashSet<>();
      for (int i = 0; i < items.size(); i++) {
        if (items.get(i).kind() == Kind.ERROR && groupOf[i] == null) {
          for (String hash : items.get(i).grouping().hashes()) {
            recheck.add(new HashKey(items.get(i).projectId(), hash));
          }
        }
      }
      return conn.preparedQuery(LOCK_HASHES).execute(args((Object) locks))
          .compose(v -> findGroups(conn, recheck))
          .compose(v -> {
            Map<HashKey, Integer> still = missing();
            return still.isEmpty() ? Future.succeededFuture() : insertGroups(conn, still);
          });
    }

    private Future<Void> insertGroups(SqlConnection conn, Map<HashKey, Integer> firsts) {
      TreeMap<Long, Long> perProject = new TreeMap<>();
      for (HashKey key : firsts.keySet()) {
        perProject.merge(key.projectId(), 1L, Long::sum);
      }
      Long[] projects = perProject.keySet().toArray(Long[]::new);
      Long[] counts = perProject.values().toArray(Long[]::new);
      return conn.preparedQuery(NEXT_SHORT_IDS).execute(args(projects, counts)).compose(rows -> {
        Map<Long, Long> nextShortId = new HashMap<>();
        for (Row row : rows) {
          long project = row.getLong(0);
          nextShortId.put(project, row.getLong(1) - perProject.get(project) + 1);
        }
        int n = firsts.size();
        Long[] p = new Long[n];
        Long[] s = new Long[n];
        String[] t = new String[n];
        String[] c = new String[n];
        String[] m = new String[n];
        String[] l = new String[n];
        String[] ty = new String[n];
        String[] pl = new String[n];
        OffsetDateTime[] f = new OffsetDateTime[n];
        String[] md = new String[n];
        Map<Long, HashKey> byShortIdKey = new HashMap<>();
        int i = 0;
        for (Map.Entry<HashKey, Integer> e : firsts.entrySet()) {
          SaveItem item = items.get(e.getValue());
          long project = item.projectId();
          long shortId = nextShortId.merge(project, 1L, Long::sum) - 1;
          p[i] = project;
          s[i] = shortId;
          t[i] = item.grouping().title();
          c[i] = item.grouping().culprit();
          m[i] = searchMessage(item);
          l[i] = level(item.event());
          ty[i] = item.grouping().type() == null ? "error" : item.grouping().type();
          pl[i] = item.event().getString("platform");
          f[i] = timestamp(item.timestamp());
          md[i] = (item.grouping().metadata() == null ? new JsonObject() : item.grouping().metadata()).encode();
          byShortIdKey.put(project * 1_000_003L ^ shortId, e.getKey());
          i++;
        }
        return conn.preparedQuery(INSERT_GROUPS).execute(args(p, s, t, c, m, l, ty, pl, f, md))
            .map(inserted -> {
              for (Row row : inserted) {
                HashKey key = byShortIdKey.get(row.getLong(1) * 1_000_003L ^ row.getLong(2));
                long groupId = row.getLong(0);
                groupsByHash.put(key, groupId);
                createdGroups.add(groupId);
              }
              assignGroups();
              return null;
            });
      });
    }

    /** Every hash of every error points at its issue (secondary hashes and the new issues' ones). */
    private Future<Void> insertHashes(SqlConnection conn) {
      List<Long> p = new ArrayList<>();
      List<String> h = new ArrayList<>();
      List<Long> g = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        SaveItem item = items.get(i);
        if (item.kind() != Kind.ERROR) {
          continue;
        }
        for (String hash : item.grouping().hashes()) {
          HashKey key = new HashKey(item.projectId(), hash);
          Long known = groupsByHash.get(key);
          // a hash no issue has yet, or any hash of an issue this batch created (it has no rows yet)
          if (known == null || createdGroups.contains(known)) {
            groupsByHash.putIfAbsent(key, groupOf[i]);
            if (hashRowWritten.add(key)) {
              p.add(item.projectId());
              h.add(hash);
              g.add(groupOf[i]);
            }
          }
        }
      }
      if (p.isEmpty()) {
        return Future.succeededFuture();
      }
      return conn.preparedQuery(INSERT_HASHES)
          .execute(args(p.toArray(Long[]::new), h.toArray(String[]::new), g.toArray(Long[]::new)))
          .mapEmpty();
    }

    private final Set<HashKey> hashRowWritten = new HashSet<>();

    private Future<Void> insertNodes(SqlConnection conn) {
      List<Integer> indexes = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        SaveItem item = items.get(i);
        if (!item.hasEvent()) {
          continue;
        }
        JsonObject event = item.event();
        if (item.kind() == Kind.ERROR) {
          event.put("group_id", groupOf[i]);
          event.put("hashes", new io.vertx.core.json.JsonArray(item.grouping().hashes()));
          event.put("title", item.grouping().title());
          event.put("culprit", item.grouping().culprit());
          event.put("location", item.grouping().location());
          event.put("metadata", item.grouping().metadata());
          event.put("type", item.grouping().type());
        } else if (item.kind() == Kind.TRANSACTION) {
          // Sentry titles a transaction, and blames it, by its name
          String name = event.getString("transaction", "<unlabeled transaction>");
          event.put("title", name);
          event.put("culprit", name);
          event.put("metadata", new JsonObject().put("title", name));
        }
        indexes.add(i);
      }
      // encoding a batch of events is CPU work: off the event loop (the batch owns the objects)
      java.util.concurrent.Callable<List<Node>> encode = () -> {
        List<Node> nodes = new ArrayList<>(indexes.size());
        for (int i : indexes) {
          SaveItem item = items.get(i);
          json[i] = JsonBytes.encode(item.event());
          nodes.add(Node.of(item.projectId(), item.eventId(), item.timestamp(), json[i]));
        }
        return nodes;
      };
      io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
      Future<List<Node>> encoded;
      try {
        encoded = context != null ? context.owner().executeBlocking(encode, false) : Future.succeededFuture(encode.call());
      } catch (Exception e) {
        encoded = Future.failedFuture(e);
      }
      return encoded.compose(nodes -> nodestore.insertNew(conn, nodes).map(inserted -> {
        for (int k = 0; k < nodes.size(); k++) {
          // only the first copy of an event inserted twice in one batch (a task redelivered next to
          // its replayed twin) is new; the others count nothing
          isNew[indexes.get(k)] = inserted.remove(nodes.get(k).id());
        }
        return null;
      }));
    }

    /** Counts only the events this transaction inserted, so a replayed batch counts nothing twice. */
    private Future<Void> countEvents(SqlConnection conn) {
      TreeMap<Long, int[]> perGroup = new TreeMap<>(); // group -> {count, firstIndex, lastIndex, earliestIndex}
      for (int i = 0; i < items.size(); i++) {
        if (items.get(i).kind() != Kind.ERROR || !isNew[i]) {
          continue;
        }
        int[] agg = perGroup.get(groupOf[i]);
        if (agg == null) {
          perGroup.put(groupOf[i], new int[] {1, i, i, i});
          continue;
        }
        agg[0]++;
        if (items.get(i).timestamp().isAfter(items.get(agg[2]).timestamp())) {
          agg[2] = i;
        }
        if (items.get(i).timestamp().isBefore(items.get(agg[3]).timestamp())) {
          agg[3] = i;
        }
      }
      if (perGroup.isEmpty()) {
        return Future.succeededFuture();
      }
      int n = perGroup.size();
      Long[] ids = new Long[n];
      Long[] counts = new Long[n];
      OffsetDateTime[] firsts = new OffsetDateTime[n];
      OffsetDateTime[] lasts = new OffsetDateTime[n];
      String[] latest = new String[n];
      String[] levels = new String[n];
      Map<Long, Integer> firstOfGroup = new HashMap<>();
      int k = 0;
      for (Map.Entry<Long, int[]> e : perGroup.entrySet()) {
        int[] agg = e.getValue();
        ids[k] = e.getKey();
        counts[k] = (long) agg[0];
        firsts[k] = timestamp(items.get(agg[3]).timestamp());
        lasts[k] = timestamp(items.get(agg[2]).timestamp());
        latest[k] = items.get(agg[2]).eventId();
        levels[k] = level(items.get(agg[2]).event());
        firstOfGroup.put(e.getKey(), agg[1]);
        k++;
      }
      for (Long created : createdGroups) {
        Integer first = firstOfGroup.get(created);
        if (first != null) {
          isNewGroup[first] = true;
        }
      }
      return conn.preparedQuery(COUNT_EVENTS).execute(args(ids, counts, firsts, lasts, latest, levels))
          .map(rows -> {
            for (Row row : rows) {
              if ("resolved".equals(row.getString(1))) {
                isRegression[firstOfGroup.get(row.getLong(0))] = true;
              }
            }
            return null;
          });
    }

    private Future<Void> names(SqlConnection conn, Map<NameKey, Boolean> names, String insert, String link) {
      if (names.isEmpty()) {
        return Future.succeededFuture();
      }
      int n = names.size();
      Long[] orgs = new Long[n];
      String[] values = new String[n];
      Long[] projects = new Long[n];
      int i = 0;
      for (NameKey key : names.keySet()) {
        orgs[i] = key.organizationId();
        values[i] = key.name();
        projects[i++] = key.projectId();
      }
      return conn.preparedQuery(insert).execute(args(orgs, values))
          .compose(v -> conn.preparedQuery(link).execute(args(orgs, values, projects)))
          .mapEmpty();
    }

    private Future<Void> attachments(SqlConnection conn) {
      Map<String, AttachmentFile> blobs = new LinkedHashMap<>();
      List<Object[]> rows = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        SaveItem item = items.get(i);
        for (AttachmentFile file : item.attachments()) {
          String checksum = sha1(file.data());
          blobs.putIfAbsent(checksum, file);
          rows.add(new Object[] {item.projectId(), item.eventId(), groupOf[i], file.type(), file.name(),
              file.contentType(), (long) file.data().length, checksum});
        }
      }
      if (rows.isEmpty()) {
        return Future.succeededFuture();
      }
      String[] checksums = blobs.keySet().toArray(String[]::new);
      Long[] sizes = new Long[checksums.length];
      Buffer[] data = new Buffer[checksums.length];
      for (int i = 0; i < checksums.length; i++) {
        byte[] bytes = blobs.get(checksums[i]).data();
        sizes[i] = (long) bytes.length;
        data[i] = Buffer.buffer(bytes);
      }
      return conn.preparedQuery(INSERT_BLOBS).execute(args(checksums, sizes, data))
          .compose(v -> conn.preparedQuery(INSERT_ATTACHMENTS).execute(args(
              column(rows, 0, Long[]::new), column(rows, 1, String[]::new), column(rows, 2, Long[]::new),
              column(rows, 3, String[]::new), column(rows, 4, String[]::new), column(rows, 5, String[]::new),
              column(rows, 6, Long[]::new), column(rows, 7, String[]::new))))
          .mapEmpty();
    }

    private Future<Void> reports(SqlConnection conn) {
      Map<String, Object[]> rows = new LinkedHashMap<>();
      Map<String, Long> groupOfEvent = new HashMap<>();
      groupOfEvent.putAll(reportedGroups);
      for (int i = 0; i < items.size(); i++) {
        if (groupOf[i] != null) {
          groupOfEvent.put(items.get(i).projectId() + ":" + items.get(i).eventId(), groupOf[i]);
        }
      }
      for (SaveItem item : items) {
        SaveItem.UserReport report = item.report();
        if (report == null) {
          continue;
        }
        String key = item.projectId() + ":" + item.eventId();
        // one statement cannot upsert a row twice: the last report of an event wins
        rows.remove(key);
        rows.put(key, new Object[] {item.projectId(), item.eventId(), groupOfEvent.get(key),
            nullToEmpty(report.name()), nullToEmpty(report.email()), nullToEmpty(report.comments()),
            timestamp(item.timestamp())});
      }
      if (rows.isEmpty()) {
        return Future.succeededFuture();
      }
      List<Object[]> list = new ArrayList<>(rows.values());
      return conn.preparedQuery(UPSERT_REPORTS).execute(args(
              column(list, 0, Long[]::new), column(list, 1, String[]::new), column(list, 2, Long[]::new),
              column(list, 3, String[]::new), column(list, 4, String[]::new), column(list, 5, String[]::new),
              column(list, 6, OffsetDateTime[]::new)))
          .mapEmpty();
    }

    /** Reports that came before their event (feedback sent first) get the issue the event just got. */
    private Future<Void> linkReports(SqlConnection conn) {
      List<Long> p = new ArrayList<>();
      List<String> e = new ArrayList<>();
      List<Long> g = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        if (items.get(i).kind() == Kind.ERROR && isNew[i] && groupOf[i] != null) {
          p.add(items.get(i).projectId());
          e.add(items.get(i).eventId());
          g.add(groupOf[i]);
        }
      }
      if (p.isEmpty()) {
        return Future.succeededFuture();
      }
      return conn.preparedQuery(LINK_REPORTS)
          .execute(args(p.toArray(Long[]::new), e.toArray(String[]::new), g.toArray(Long[]::new)))
          .mapEmpty();
    }

    private List<SavedEvent> results() {
      List<SavedEvent> results = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        boolean fresh = items.get(i).hasEvent() ? isNew[i] : true;
        results.add(new SavedEvent(items.get(i), groupOf[i], fresh, isNewGroup[i], isRegression[i], json[i]));
      }
      return results;
    }
  }

  /** Each array is one parameter: {@code Tuple.of} would spread a lone trailing array into varargs. */
  private static Tuple args(Object... columns) {
    Tuple tuple = Tuple.tuple();
    for (Object column : columns) {
      tuple.addValue(column);
    }
    return tuple;
  }

  private static void addName(Map<NameKey, Boolean> names, KnownNames known, SaveItem item, Object value) {
    if (value instanceof String name && !name.isEmpty()) {
      NameKey key = new NameKey(item.organizationId(), item.projectId(), name);
      if (!known.contains(key)) {
        names.put(key, Boolean.TRUE);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T[] column(List<Object[]> rows, int index, java.util.function.IntFunction<T[]> array) {
    T[] out = array.apply(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      out[i] = (T) rows.get(i)[index];
    }
    return out;
  }

  /** Sentry's {@code search_message}-like text kept on the issue: the message or the title. */
  static String searchMessage(SaveItem item) {
    JsonObject event = item.event();
    Object logentry = event.getValue("logentry");
    if (logentry instanceof JsonObject entry) {
      String formatted = entry.getString("formatted", entry.getString("message"));
      if (formatted != null) {
        return formatted;
      }
    }
    Object message = event.getValue("message");
    if (message instanceof String text) {
      return text;
    }
    if (item.grouping() != null) {
      return item.grouping().title();
    }
    return event.getString("transaction", "");
  }

  static String level(JsonObject event) {
    Object level = event == null ? null : event.getValue("level");
    return level instanceof String l && LEVELS.contains(l) ? l : "error";
  }

  private static long lockKey(HashKey key) {
    return Long.parseUnsignedLong(key.hash().substring(0, 16), 16) ^ (key.projectId() * 0x9E3779B97F4A7C15L);
  }

  static OffsetDateTime timestamp(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  static String sha1(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every JRE", e);
    }
  }

  /**
   * Releases and environments already written by this process: the statements that record them are
   * skipped for names every batch repeats. Bounded: when full it forgets everything and relearns.
   */
  private static final class KnownNames {
    private final int capacity;
    private final Set<NameKey> names;

    KnownNames(int capacity) {
      this.capacity = capacity;
      this.names = java.util.concurrent.ConcurrentHashMap.newKeySet();
    }

    boolean contains(NameKey key) {
      return names.contains(key);
    }

    void addAll(Set<NameKey> keys) {
      if (names.size() + keys.size() > capacity) {
        names.clear();
      }
      names.addAll(keys);
    }
  }
}
