package io.rehearsal.pipelines.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * What each phase of a benchmark cost, measured in the benchmark's own Spark application: wall time, Spark jobs,
 * task CPU, shuffle bytes and the peak heap of this JVM (the driver; in local mode also the executors'). Phases are
 * consecutive and named by the benchmark ({@link #phase}); a run's steps are recognised in its progress lines
 * ({@link #stepOf}). Jobs and tasks count in the phase their start or end time falls in (Spark reports them
 * asynchronously, so they are placed by their own times once the listener bus has drained).
 *
 * <p>The peak heap is the heap used just before each garbage collection (where the peaks are) and at each phase
 * change: sampling would miss the moment before a collection.
 */
final class StepMeter extends SparkListener implements NotificationListener, AutoCloseable {

  private static final Pattern STEP_LINE = Pattern.compile("^\\[\\s*[0-9.]+s\\] run \\S+: ([a-z]+)$");
  private static final Set<String> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());

  /** One phase's costs. */
  record Phase(String name, double seconds, long jobs, double taskCpuSeconds, long shuffleReadBytes,
      long shuffleWriteBytes, long peakHeapBytes) {}

  private record Boundary(String name, long startMillis, long startNanos, long[] peakHeap) {}

  private record TaskCost(long finishMillis, long cpuNanos, long shuffleRead, long shuffleWrite) {}

  private final SparkSession spark;
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final List<Boundary> boundaries = new ArrayList<>();
  private final List<Long> jobStarts = new ArrayList<>();
  private final List<TaskCost> tasks = new ArrayList<>();
  private long endMillis;
  private long endNanos;
  private boolean closed;

  private StepMeter(SparkSession spark) {
    this.spark = spark;
  }

  /** Starts measuring: from now on Spark's jobs and tasks and the JVM's collections are counted. */
  static StepMeter start(SparkSession spark) {
    StepMeter meter = new StepMeter(spark);
    spark.sparkContext().addSparkListener(meter);
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(meter, null, null);
        meter.emitters.add(emitter);
      }
    }
    return meter;
  }

  /** The run step a progress line starts, e.g. {@code parity} for {@code [ 102.6s] run demo-default: parity}. */
  static String stepOf(String progressLine) {
    Matcher m = STEP_LINE.matcher(progressLine.strip());
    return m.matches() ? m.group(1) : null;
  }

  /** Ends the current phase and starts {@code name}; null ends it without starting another. */
  synchronized void phase(String name) {
    long heap = heapUsed();
    if (!boundaries.isEmpty()) {
      long[] peak = boundaries.get(boundaries.size() - 1).peakHeap();
      peak[0] = Math.max(peak[0], heap);
    }
    boundaries.add(new Boundary(name, System.currentTimeMillis(), System.nanoTime(), new long[] {heap}));
  }

  /**
   * The phases in the order they first started; a name that came back (a phase entered twice) adds up. Call
   * after {@link #close}.
   */
  synchronized List<Phase> phases() {
    Map<String, long[]> sums = new LinkedHashMap<>(); // nanos, jobs, cpu, read, write, peak
    for (int i = 0; i < boundaries.size(); i++) {
      Boundary b = boundaries.get(i);
      if (b.name() == null) {
        continue;
      }
      long toMillis = i + 1 < boundaries.size() ? boundaries.get(i + 1).startMillis() : endMillis;
      long toNanos = i + 1 < boundaries.size() ? boundaries.get(i + 1).startNanos() : endNanos;
      long[] sum = sums.computeIfAbsent(b.name(), k -> new long[6]);
      sum[0] += toNanos - b.startNanos();
      sum[1] += jobStarts.stream().filter(t -> t >= b.startMillis() && t < toMillis).count();
      for (TaskCost t : tasks) {
        if (t.finishMillis() >= b.startMillis() && t.finishMillis() < toMillis) {
          sum[2] += t.cpuNanos();
          sum[3] += t.shuffleRead();
          sum[4] += t.shuffleWrite();
        }
      }
      sum[5] = Math.max(sum[5], b.peakHeap()[0]);
    }
    List<Phase> out = new ArrayList<>();
    sums.forEach((name, s) -> out.add(new Phase(name, s[0] / 1e9, s[1], s[2] / 1e9, s[3], s[4], s[5])));
    return out;
  }

  @Override
  public synchronized void onJobStart(SparkListenerJobStart jobStart) {
    jobStarts.add(jobStart.time());
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd taskEnd) {
    TaskMetrics m = taskEnd.taskMetrics();
    if (m != null) {
      tasks.add(new TaskCost(taskEnd.taskInfo().finishTime(), m.executorCpuTime(),
          m.shuffleReadMetrics().totalBytesRead(), m.shuffleWriteMetrics().bytesWritten()));
    }
  }

  @Override
  public void handleNotification(Notification notification, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
    long before = info.getGcInfo().getMemoryUsageBeforeGc().entrySet().stream()
        .filter(e -> HEAP_POOLS.contains(e.getKey())).mapToLong(e -> e.getValue().getUsed()).sum();
    synchronized (this) {
      if (!boundaries.isEmpty()) {
        long[] peak = boundaries.get(boundaries.size() - 1).peakHeap();
        peak[0] = Math.max(peak[0], before);
      }
    }
  }

  private static long heapUsed() {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    return heap.getUsed();
  }

  /** The heap this JVM may use at most. */
  static long maxHeap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
  }

  /** Ends the last phase, waits until Spark has reported every job and task, and stops listening; once. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      phase(null);
      endMillis = System.currentTimeMillis();
      endNanos = System.nanoTime();
    }
    try {
      spark.sparkContext().listenerBus().waitUntilEmpty(TimeUnit.MINUTES.toMillis(1));
    } catch (TimeoutException e) {
      System.out.println("bench: warning: Spark's listener bus did not drain within a minute; the last phase may miss"
          + " some tasks");
    }
    spark.sparkContext().removeSparkListener(this);
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(this);
      } catch (ListenerNotFoundException ignored) {
        // not registered: nothing to remove
      }
    }
  }
}
