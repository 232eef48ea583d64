package io.rehearsal.pipelines.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rehearsal.transforms.RehearsalException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Who is running a step of a run: {@code _state/<step>.lock} in the run's workspace, created exclusively and
 * refreshed while the step runs. A second process that reaches a step another live process holds refuses instead
 * of writing the same tables and ledger entries twice. A lock whose holder is gone — a process of this host that no
 * longer exists (killed, out of memory), or a lock not refreshed for {@link #LEASE} — is taken over, so a killed run
 * resumes without anyone removing files by hand. Steps that may run side by side (an Airflow DAG's parallel tasks)
 * hold different locks.
 */
public final class RunLock {

  /** A lock not refreshed for this long belongs to a process that is gone (another host's, or a hung one). */
  public static final Duration LEASE = Duration.ofMinutes(2);
  static final Duration HEARTBEAT = Duration.ofSeconds(20);

  private final RunFiles files;
  private final RunWorkspace workspace;
  private final String host;
  private final long pid;

  public RunLock(RunFiles files, RunWorkspace workspace) {
    this(files, workspace, localHost(), ProcessHandle.current().pid());
  }

  RunLock(RunFiles files, RunWorkspace workspace, String host, long pid) {
    this.files = files;
    this.workspace = workspace;
    this.host = host;
    this.pid = pid;
  }

  String file(RunStep step) {
    return workspace.stateFolder() + "/" + step.label() + ".lock";
  }

  /** Holds the step's lock until closed; refuses (exit 1) while another live process holds it. */
  public Held acquire(RunStep step) {
    String file = file(step);
    String mine = CanonicalJson.pretty(holder(step));
    if (!files.createExclusive(file, mine)) {
      String busy = liveHolder(file);
      if (busy != null) {
        throw inProgress(step, busy);
      }
      // The holder is gone: take its lock over. Of two processes doing so at once, one creates the file again.
      files.delete(file);
      if (!files.createExclusive(file, mine)) {
        throw inProgress(step, describe(read(file)));
      }
    }
    return new Held(file, mine);
  }

  /** Refuses (exit 1) when a live process holds a lock of any step of the run (before --fresh deletes it). */
  public void refuseIfHeld() {
    for (String name : files.list(workspace.stateFolder())) {
      if (name.endsWith(".lock")) {
        String busy = liveHolder(workspace.stateFolder() + "/" + name);
        if (busy != null) {
          throw inProgress(RunStep.parse(name.substring(0, name.length() - ".lock".length())), busy);
        }
      }
    }
  }

  /** Who holds the lock, when that holder is alive; null when the lock is abandoned or gone. */
  private String liveHolder(String file) {
    long modified = files.modifiedAt(file);
    if (modified < 0) {
      return null;
    }
    JsonNode holder = read(file);
    if (holder != null && host.equals(holder.path("host").asText()) && holder.path("pid").canConvertToLong()
        && !ProcessHandle.of(holder.path("pid").asLong()).map(ProcessHandle::isAlive).orElse(false)) {
      return null;
    }
    if (Instant.now().toEpochMilli() - modified > LEASE.toMillis()) {
      return null;
    }
    return describe(holder);
  }

  private JsonNode read(String file) {
    try {
      return CanonicalJson.parse(files.read(file));
    } catch (RuntimeException halfWrittenOrGone) {
      // Read while its holder rewrote it, or just released: alive until its modification time says otherwise.
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

  private RehearsalException inProgress(RunStep step, String holder) {
    return RehearsalException.runtime("Cannot run step '" + step.label() + "' of run " + workspace.runId(),
        holder + " is running it (lock " + file(step) + ", refreshed every " + HEARTBEAT.toSeconds() + " s)",
        "wait for that process to finish, then rerun with the same --run-id to go on from where it stopped; a lock "
            + "whose process is gone is taken over (at once on the same host, after " + LEASE.toMinutes()
            + " minutes from another)", null);
  }

  private ObjectNode holder(RunStep step) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("run_id", workspace.runId());
    n.put("step", step.label());
    n.put("host", host);
    n.put("pid", pid);
    n.put("started_at", Instant.now().toString());
    return n;
  }

  private static String localHost() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown-host";
    }
  }

  /** A held lock: refreshed in the background until closed, then removed. */
  public final class Held implements AutoCloseable {

    private final String file;
    private final ScheduledExecutorService heartbeat;

    private Held(String file, String content) {
      this.file = file;
      this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rehearsal-run-lock");
        t.setDaemon(true);
        return t;
      });
      long every = HEARTBEAT.toMillis();
      heartbeat.scheduleAtFixedRate(() -> {
        try {
          files.rewrite(file, content);
        } catch (RuntimeException missed) {
          // One missed refresh is harmless: the lease is six refreshes long.
        }
      }, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
      heartbeat.shutdownNow();
      try {
        heartbeat.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      files.delete(file);
    }
  }
}
