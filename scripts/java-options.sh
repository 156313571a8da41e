# Sourced by ./mailfleet and benchmarks/lib.sh: the JVM options a node runs with when
# MAILFLEET_JAVA_OPTS does not replace them, so a benchmark measures what `./mailfleet serve` runs.

# mailfleet_node_java_opts: prints the default JVM options of a node (serve, cluster).
mailfleet_node_java_opts() {
  local opts="-Xms256m -Xmx1g" cores
  cores="$(nproc 2>/dev/null || echo 1)"
  # On one or two cores the JIT's optimising compiler (C2) competes with the node for the CPU: at the
  # JVM's defaults it took 37 % of the process's CPU still after 15,000 messages. Here C2 compiles
  # only the hottest methods (thresholds several times the defaults) and inlines less per
  # compilation: a fresh node delivers faster and the peak is kept. C1 alone would cost a third of
  # IMAP's warm throughput (docs/benchmarks.md, "The JIT on two cores").
  if ((cores <= 2)); then
    opts+=" -XX:Tier4InvocationThreshold=30000 -XX:Tier4MinInvocationThreshold=6000"
    opts+=" -XX:Tier4CompileThreshold=40000 -XX:Tier4BackEdgeThreshold=200000"
    opts+=" -XX:FreqInlineSize=150 -XX:InlineSmallCode=1500"
  fi
  printf '%s\n' "$opts"
}
