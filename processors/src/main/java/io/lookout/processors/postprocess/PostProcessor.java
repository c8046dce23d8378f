package io.lookout.processors.postprocess;

import io.lookout.processors.postprocess.AlertRule.Interval;
import io.lookout.storage.nodestore.Nodestore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code post_process_errors} for a batch of events (one task, or one forwarder batch when the
 * transport is inline): reads each project's rules (cached), counts the events for the frequency
 * conditions (one Redis round trip), evaluates conditions and filters, claims each firing in
 * Postgres (once per (rule, event), once per {@code frequency} per issue), then reads the issues
 * (one query) and events (one nodestore read) of what fired and runs the actions. The future fails
 * only when a read or claim failed, so the task is retried; replays fire nothing twice.
 */
public final class PostProcessor {

  private static final Logger LOG = LoggerFactory.getLogger(PostProcessor.class);

  private final RuleStore rules;
  private final FrequencyCounter counter;
  private final AlertNotifier notifier;
  private final Pool pool;
  private final Nodestore nodestore;
  private final Counter processed;
  private final Counter fired;
  private final Counter suppressed;

  public PostProcessor(RuleStore rules, FrequencyCounter counter, AlertNotifier notifier, Pool pool,
      Nodestore nodestore, MeterRegistry registry) {
    this.rules = rules;
    this.counter = counter;
    this.notifier = notifier;
    this.pool = pool;
    this.nodestore = nodestore;
    this.processed = Counter.builder("lookout.postprocess.events").description("error events post-processed")
        .register(registry);
    this.fired = Counter.builder("lookout.alerts.fired").description("alert rules fired (once per rule and event)")
        .register(registry);
    this.suppressed = Counter.builder("lookout.alerts.suppressed")
        .description("rule matches not fired: already fired for the event, or within the rule's frequency")
        .register(registry);
  }

  private record Firing(AlertRule rule, PostProcessJob job) {
  }

  public Future<Void> process(List<PostProcessJob> jobs) {
    if (jobs.isEmpty()) {
      return Future.succeededFuture();
    }
    processed.increment(jobs.size());
    Set<Long> projects = new LinkedHashSet<>();
    jobs.forEach(j -> projects.add(j.projectId()));
    List<Long> projectList = new ArrayList<>(projects);
    List<Future<List<AlertRule>>> reads = new ArrayList<>();
    for (Long projectId : projectList) {
      reads.add(rules.activeRules(projectId));
    }
    return Future.all(reads).compose(all -> {
      Map<Long, List<AlertRule>> byProject = new HashMap<>();
      for (int i = 0; i < projectList.size(); i++) {
        byProject.put(projectList.get(i), all.resultAt(i));
      }
      return evaluate(jobs, byProject);
    }).compose(this::claim).compose(this::notifyAll);
  }

  private Future<List<Firing>> evaluate(List<PostProcessJob> jobs, Map<Long, List<AlertRule>> byProject) {
    List<FrequencyCounter.Query> queries = new ArrayList<>();
    List<PostProcessJob> counted = new ArrayList<>();
    for (PostProcessJob job : jobs) {
      Set<Interval> intervals = new LinkedHashSet<>();
      for (AlertRule rule : byProject.getOrDefault(job.projectId(), List.of())) {
        intervals.addAll(rule.intervals());
      }
      if (!intervals.isEmpty()) {
        queries.add(new FrequencyCounter.Query(job, List.copyOf(intervals)));
        counted.add(job);
      }
    }
    return counter.count(queries).map(sums -> {
      Map<PostProcessJob, Map<Interval, Long>> counts = new HashMap<>();
      for (int i = 0; i < counted.size(); i++) {
        counts.put(counted.get(i), sums.get(i));
      }
      List<Firing> matches = new ArrayList<>();
      for (PostProcessJob job : jobs) {
        for (AlertRule rule : byProject.getOrDefault(job.projectId(), List.of())) {
          if (rule.matches(job, counts.getOrDefault(job, Map.of()))) {
            matches.add(new Firing(rule, job));
          }
        }
      }
      return matches;
    });
  }

  private Future<List<Firing>> claim(List<Firing> matches) {
    if (matches.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    // in order: a storm's claims on one (rule, issue) row queue behind each other anyway
    Future<List<Firing>> chain = Future.succeededFuture(new ArrayList<>());
    for (Firing f : matches) {
      chain = chain.compose(list -> rules.claim(f.rule(), f.job()).map(won -> {
        if (won) {
          list.add(f);
          fired.increment();
        } else {
          suppressed.increment();
        }
        return list;
      }));
    }
    return chain;
  }

  private Future<Void> notifyAll(List<Firing> firings) {
    if (firings.isEmpty()) {
      return Future.succeededFuture();
    }
    Set<Long> groupIds = new LinkedHashSet<>();
    List<String> nodeIds = new ArrayList<>();
    for (Firing f : firings) {
      groupIds.add(f.job().groupId());
      nodeIds.add(Nodestore.nodeId(f.job().projectId(), f.job().eventId()));
    }
    Future<Map<Long, AlertNotifier.Issue>> issues = pool.preparedQuery(
            "SELECT g.id, g.short_id, g.title, g.culprit, p.slug AS project_slug, p.name AS project_name,"
                + " o.slug AS org_slug FROM groups g JOIN projects p ON p.id = g.project_id"
                + " JOIN organizations o ON o.id = p.organization_id WHERE g.id = ANY($1)")
        .execute(Tuple.of(groupIds.toArray(new Long[0])))
        .map(rows -> {
          Map<Long, AlertNotifier.Issue> out = new HashMap<>();
          for (Row row : rows) {
            out.put(row.getLong("id"), new AlertNotifier.Issue(row.getLong("id"), row.getLong("short_id"),
                row.getString("title"), row.getString("culprit"), row.getString("project_slug"),
                row.getString("project_name"), row.getString("org_slug")));
          }
          return out;
        });
    Future<Map<String, byte[]>> events = nodestore.getMany(nodeIds).recover(err -> {
      LOG.warn("could not read {} events for alerts; alerting without the event body: {}", nodeIds.size(),
          err.toString());
      return Future.succeededFuture(Map.of());
    });
    return Future.all(issues, events).compose(v -> {
      List<Future<Void>> sends = new ArrayList<>();
      for (Firing f : firings) {
        AlertNotifier.Issue issue = issues.result().get(f.job().groupId());
        if (issue == null) {
          // the issue was deleted meanwhile: nothing to alert about
          continue;
        }
        byte[] data = events.result().get(Nodestore.nodeId(f.job().projectId(), f.job().eventId()));
        JsonObject event = data == null ? null : new JsonObject(new String(data, StandardCharsets.UTF_8));
        sends.add(notifier.notify(f.rule(), f.job(), issue, event));
      }
      return Future.join(sends).mapEmpty();
    });
  }
}
