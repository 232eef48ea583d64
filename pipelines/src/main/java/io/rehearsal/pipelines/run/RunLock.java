package io.rehearsal.pipelines.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rehearsal.transforms.RehearsalException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Who is running a step of a run: {@code _state/<step>.lock} in the run's workspace, created exclusively and
 * refreshed while the step runs. A second process that reaches a step another live process holds refuses instead
 * of writing the same tables and ledger entries twice. A lock whose holder is gone is taken over, so a killed run
 * resumes without anyone removing files by hand: on the same host, when the process that wrote it (pid and start
 * time) no longer exists; from another host, when it was not refreshed for {@link #LEASE}. Steps that may run side
 * by side (an Airflow DAG's parallel tasks) hold different locks.
 */
public final class RunLock {

  /** A lock of another host not refreshed for this long belongs to a process that is gone (or hung). */
  public static final Duration LEASE = Duration.ofMinutes(2);
  static final Duration HEARTBEAT = Duration.ofSeconds(20);
  /** A lock file without readable content older than this was left by a process killed while creating it. */
  static final Duration CREATING = Duration.ofSeconds(10);
  private static final int MISSED_REFRESHES_BEFORE_LOST = 3;

  private final RunFiles files;
  private final RunWorkspace workspace;
  private final String host;
  private final long pid;
  private final String processStart;
  private RehearsalException lastRefusal;

  public RunLock(RunFiles files, RunWorkspace workspace) {
    this(files, workspace, localHost(), ProcessHandle.current().pid(), startOf(ProcessHandle.current()));
  }

  RunLock(RunFiles files, RunWorkspace workspace, String host, long pid, String processStart) {
    this.files = files;
    this.workspace = workspace;
    this.host = host;
    this.pid = pid;
    this.processStart = processStart;
  }

  String file(RunStep step) {
    return workspace.stateFolder() + "/" + step.label() + ".lock";
  }

  /** Whether this exception is this lock's refusal (another live process holds the step), not a failure of the run. */
  public boolean refused(Throwable e) {
    return e != null && e == lastRefusal;
  }

  /** Holds the step's lock until closed; refuses (exit 1) while another live process holds it. */
  public Held acquire(RunStep step) {
    String file = file(step);
    String token = UUID.randomUUID().toString();
    String mine = CanonicalJson.pretty(holder(step, token));
    if (!files.createExclusive(file, mine)) {
      String seen = readOrNull(file);
      String busy = liveHolder(file, seen);
      if (busy != null) {
        throw refusal(step, busy);
      }
      // The holder is gone. Move its lock aside under a name of our own (an atomic rename on local disks and HDFS):
      // of two processes taking it over at once, one rename succeeds; and only the lock judged gone is moved.
      String aside = file + "." + token + ".gone";
      if (!files.rename(file, aside) || !Objects.equals(seen, readOrNull(aside))) {
        if (files.exists(aside) && !files.exists(file)) {
          files.rename(aside, file);
        }
        throw refusal(step, "another process taking over the lock at the same time");
      }
      files.delete(aside);
      if (!files.createExclusive(file, mine)) {
        throw refusal(step, describe(parse(readOrNull(file))));
      }
    }
    return new Held(step, file, token);
  }

  /** Refuses (exit 1) when a live process holds a lock of any step of the run (before --fresh deletes it). */
  public void refuseIfHeld() {
    for (String name : files.list(workspace.stateFolder())) {
      if (name.endsWith(".lock")) {
        String file = workspace.stateFolder() + "/" + name;
        String busy = liveHolder(file, readOrNull(file));
        if (busy != null) {
          throw refusal(RunStep.parse(name.substring(0, name.length() - ".lock".length())), busy);
        }
      }
    }
  }

  /** Who holds the lock, when that holder is alive; null when the lock is abandoned or gone. */
  private String liveHolder(String file, String content) {
    long modified = files.modifiedAt(file);
    if (modified < 0) {
      return null;
    }
    long age = Instant.now().toEpochMilli() - modified;
    JsonNode holder = parse(content);
    if (holder == null) {
      // Created, its content not written yet (or cut short by a kill right then).
      return age > CREATING.toMillis() ? null : "another process";
    }
    if (host.equals(holder.path("host").asText())) {
      return sameHostProcessAlive(holder) ? describe(holder) : null;
    }
    return age > LEASE.toMillis() ? null : describe(holder);
  }

  /** The process that wrote the lock still runs: its pid exists and started when the lock says (pids are reused). */
  private static boolean sameHostProcessAlive(JsonNode holder) {
    if (!holder.path("pid").canConvertToLong()) {
      return false;
    }
    return ProcessHandle.of(holder.path("pid").asLong()).filter(ProcessHandle::isAlive)
        .map(p -> holder.path("process_start").asText("").equals(startOf(p))).orElse(false);
  }

  private static String startOf(ProcessHandle p) {
    return p.info().startInstant().map(Instant::toString).orElse("unknown");
  }

  private String readOrNull(String file) {
    try {
      return files.read(file);
    } catch (RuntimeException goneOrUnreadable) {
      return null;
    }
  }

  private static JsonNode parse(String content) {
    if (content == null || content.isBlank()) {
      return null;
    }
    try {
      return CanonicalJson.parse(content);
    } catch (RuntimeException halfWritten) {
      return null;
    }
  }

  private static String describe(JsonNode holder) {
    if (holder == null) {
      return "another process";
    }
    return "process " + holder.path("pid").asText() + " on " + holder.path("host").asText() + ", started "
        + holder.path("started_at").asText();
  }

  private RehearsalException refusal(RunStep step, String holder) {
    lastRefusal = RehearsalException.runtime("Cannot run step '" + step.label() + "' of run " + workspace.runId(),
        holder + " is running it (lock " + file(step) + ", refreshed every " + HEARTBEAT.toSeconds() + " s)",
        "wait for that process to finish, then rerun with the same --run-id to go on from where it stopped; a lock "
            + "whose process is gone is taken over (at once on the same host, after " + LEASE.toMinutes()
            + " minutes without a refresh from another)", null);
    return lastRefusal;
  }

  private ObjectNode holder(RunStep step, String token) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("run_id", workspace.runId());
    n.put("step", step.label());
    n.put("host", host);
    n.put("pid", pid);
    n.put("process_start", processStart);
    n.put("started_at", Instant.now().toString());
    n.put("token", token);
    return n;
  }

  private static String localHost() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown-host";
    }
  }

  /** A held lock: refreshed in the background until closed, then removed if it is still this holder's. */
  public final class Held implements AutoCloseable {

    private final RunStep step;
    private final String file;
    private final String token;
    private final ScheduledExecutorService heartbeat;
    private volatile String lost;
    private int missed;

    private Held(RunStep step, String file, String token) {
      this.step = step;
      this.file = file;
      this.token = token;
      this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rehearsal-run-lock");
        t.setDaemon(true);
        return t;
      });
      long every = HEARTBEAT.toMillis();
      heartbeat.scheduleAtFixedRate(this::refresh, every, every, TimeUnit.MILLISECONDS);
    }

    /** One refresh now, as the heartbeat makes every {@link #HEARTBEAT} (for tests). */
    void refreshNow() {
      refresh();
    }

    private void refresh() {
      try {
        if (!mine()) {
          lost = "another process took its lock over (it was not refreshed for " + LEASE.toMinutes() + " minutes)";
          heartbeat.shutdown();
          return;
        }
        files.touch(file);
        missed = 0;
      } catch (RuntimeException e) {
        if (++missed >= MISSED_REFRESHES_BEFORE_LOST) {
          lost = "its lock could not be refreshed " + missed + " times in a row: " + e.getMessage();
          heartbeat.shutdown();
        }
      }
    }

    private boolean mine() {
      JsonNode holder = parse(readOrNull(file));
      return holder != null && token.equals(holder.path("token").asText());
    }

    /** Refuses to save the step's outcome when the lock was lost meanwhile: another process may be writing the step. */
    public void checkStillHeld() {
      if (lost != null || !mine()) {
        throw RehearsalException.runtime("Cannot finish step '" + step.label() + "' of run " + workspace.runId(),
            lost != null ? lost : "its lock " + file + " is no longer this process's",
            "check for another process running the same run id; rerun with the same --run-id once it is done", null);
      }
    }

    /** Stops refreshing and removes the lock if it is still this holder's; never throws (a lock left is taken over). */
    @Override
    public void close() {
      heartbeat.shutdownNow();
      try {
        heartbeat.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      try {
        if (mine()) {
          files.delete(file);
        }
      } catch (RuntimeException leftBehind) {
        // The next process of this run id takes it over (its holder is gone by then).
      }
    }
  }
}
