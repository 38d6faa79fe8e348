# shellcheck shell=bash disable=SC2034 # the variables are used by the scripts that source this file
# Shared parts of the benchmark harness, sourced by throughput.sh, failover.sh and run-all.sh:
# options, prerequisites, network namespaces, node processes, bounded waiting and statistics.
# Sourcing it only defines functions and defaults; nothing runs.
#
# Topology: a namespace vcbench-hub holds the bridge; every node namespace vcbench-NAME has one veth
# (10.213.0.N/24) whose other end is a port of that bridge. Nothing is created in the caller's own
# namespace, so no traffic of the harness can leave the namespaces it creates.

export LC_ALL=C # a decimal point in $EPOCHREALTIME, printf and awk, whatever the user's locale

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_REPO_ROOT=$(dirname "$BENCH_DIR")
BENCH_DEFAULT_NODE_CMD="$BENCH_REPO_ROOT/vpncloud-cli/bin/vpncloud"
BENCH_DEFAULT_JAR="$BENCH_REPO_ROOT/vpncloud-cli/target/vpncloud.jar"
BENCH_BUILD_CMD=(mvn -B -ntp -q -DskipTests package -pl vpncloud-cli -am)

BENCH_NS_PREFIX=vcbench-
BENCH_HUB_NS=vcbench-hub
BENCH_BRIDGE=br0
BENCH_UNDERLAY=10.213.0 # .N/24 for node N; private test addresses only
BENCH_VPN_PORT=3210
BENCH_DEVICE=vpncloud0
BENCH_PASSWORD=vcbench-secret
BENCH_LOCK_FILE=${TMPDIR:-/tmp}/vcbench.lock

# Options shared by all scripts (bench_parse_common_option); the scripts set their own defaults first.
BENCH_TRIALS=
BENCH_SECONDS=
BENCH_NODE_CMD=$BENCH_DEFAULT_NODE_CMD
BENCH_LABEL=
BENCH_SMOKE=0
BENCH_OUT=

declare -A BENCH_PIDS=()     # process name -> pid of what bench_start_in_ns started
declare -A BENCH_IS_NODE=()  # process name -> 1 for the node processes (bench_start_node)
BENCH_TORN_DOWN=0

BENCH_COMMON_USAGE="Common options:
  --trials N        repetitions of every measurement
  --seconds S       length of one measurement in seconds
  --node-cmd PATH   the VpnCloud-compatible node command to measure
                    [default: vpncloud-cli/bin/vpncloud, built with Maven when its jar is missing]
  --label TEXT      the name of the measured command in the table [default: derived from --node-cmd]
  --smoke           one trial of two seconds (a quick check that the harness works)
  --out DIR         where logs go [default: bench/out/SCRIPT-TIMESTAMP]
  -h, --help        this help
Needs root (network namespaces, TUN devices). Installs iperf3, socat, iputils-ping, procps and ethtool
with apt-get when missing (not with VCBENCH_NO_INSTALL=1: then it stops, naming them). Everything it creates is named ${BENCH_NS_PREFIX}* and removed at the end."

bench_log() {
    printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2
}

bench_die() {
    bench_log "error: $*"
    exit 1
}

# Parses one shared option at the front of "$@"; sets BENCH_SHIFT to the number of words it used,
# or returns 1 when the word is not a shared option.
bench_parse_common_option() {
    BENCH_SHIFT=2
    case $1 in
        --trials) BENCH_TRIALS=$(bench_option_value "$@") ;;
        --seconds) BENCH_SECONDS=$(bench_option_value "$@") ;;
        --node-cmd) BENCH_NODE_CMD=$(bench_option_value "$@") ;;
        --label) BENCH_LABEL=$(bench_option_value "$@") ;;
        --out) BENCH_OUT=$(bench_option_value "$@") ;;
        --smoke) BENCH_SMOKE=1; BENCH_SHIFT=1 ;;
        *) return 1 ;;
    esac
}

bench_option_value() {
    [[ $# -ge 2 && -n $2 ]] || bench_usage_error "$1 needs a value"
    printf '%s' "$2"
}

bench_usage_error() {
    printf '%s: %s (see --help)\n' "$(basename "$0")" "$*" >&2
    exit 2
}

# Applies --smoke and checks the shared options once all are parsed.
bench_finish_options() {
    if [[ $BENCH_SMOKE == 1 ]]; then
        BENCH_TRIALS=1
        BENCH_SECONDS=2
    fi
    [[ $BENCH_TRIALS =~ ^[1-9][0-9]*$ ]] || bench_usage_error "--trials must be a positive whole number"
    [[ $BENCH_SECONDS =~ ^[1-9][0-9]*$ ]] || bench_usage_error "--seconds must be a positive whole number"
    if [[ -z $BENCH_LABEL ]]; then
        if [[ $BENCH_NODE_CMD == "$BENCH_DEFAULT_NODE_CMD" ]]; then
            BENCH_LABEL=vpncloud-java
        else
            BENCH_LABEL=$(basename "$BENCH_NODE_CMD")
        fi
    fi
}

# Everything a script needs before it measures: root, the lock, tools, the node command, an empty
# stage (leftovers of an aborted run removed) and the traps that remove everything again.
bench_begin() {
    local script=$1
    [[ $(id -u) == 0 ]] || bench_die "run as root: network namespaces and TUN devices need it"
    bench_take_lock
    bench_ensure_tools
    bench_ensure_node_cmd
    if [[ -z $BENCH_OUT ]]; then
        BENCH_OUT="$BENCH_DIR/out/$script-$(date -u +%Y%m%dT%H%M%SZ)"
    fi
    mkdir -p "$BENCH_OUT"
    # The traps may run while stderr is redirected for a polled command; fd 8 keeps the real one.
    exec 8>&2
    trap 'bench_teardown 2>&8' EXIT
    trap 'bench_log "interrupted" 2>&8; exit 130' INT
    trap 'bench_log "terminated" 2>&8; exit 143' TERM
    bench_remove_namespaces
    bench_log "logs in $BENCH_OUT"
}

# One run at a time: runs share the namespace names. run-all.sh takes the lock for its children.
# VCBENCH_LOCK_WAIT=SECONDS waits that long for another run to finish instead of stopping at once.
bench_take_lock() {
    [[ ${VCBENCH_LOCK_HELD:-0} == 1 ]] && return 0
    exec 9>"$BENCH_LOCK_FILE"
    flock -w "${VCBENCH_LOCK_WAIT:-0}" 9 \
        || bench_die "another benchmark run holds $BENCH_LOCK_FILE; wait for it to finish"
    export VCBENCH_LOCK_HELD=1
}

bench_ensure_tools() {
    local -A package_of=([ip]=iproute2 [iperf3]=iperf3 [socat]=socat [ping]=iputils-ping [ps]=procps
        [ethtool]=ethtool)
    local tool missing=()
    for tool in "${!package_of[@]}"; do
        command -v "$tool" >/dev/null 2>&1 || missing+=("${package_of[$tool]}")
    done
    for tool in timeout flock awk; do
        command -v "$tool" >/dev/null 2>&1 || bench_die "$tool is missing (coreutils, util-linux, awk)"
    done
    [[ ${#missing[@]} == 0 ]] && return 0
    # Test runs set VCBENCH_NO_INSTALL=1: a test never installs packages (.ci/run does), it fails.
    [[ ${VCBENCH_NO_INSTALL:-0} == 1 ]] && bench_die "missing packages ${missing[*]}; install them first"
    command -v apt-get >/dev/null 2>&1 || bench_die "missing packages ${missing[*]}; install them first"
    bench_log "installing ${missing[*]} with apt-get"
    apt-get update -qq >&2 || bench_die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2 \
        || bench_die "apt-get install ${missing[*]} failed"
}

# The default command runs the project's jar: build it when it is missing or older than a source
# file or pom of the project. Another command is used as is.
bench_ensure_node_cmd() {
    if [[ $BENCH_NODE_CMD == "$BENCH_DEFAULT_NODE_CMD" ]] && ! bench_jar_up_to_date; then
        if command -v mvn >/dev/null 2>&1; then
            bench_log "building $BENCH_DEFAULT_JAR: ${BENCH_BUILD_CMD[*]}"
            (cd "$BENCH_REPO_ROOT" && "${BENCH_BUILD_CMD[@]}") >&2 || bench_die "the build failed"
        elif [[ -f $BENCH_DEFAULT_JAR ]]; then
            bench_log "warning: $BENCH_DEFAULT_JAR is older than the sources, and mvn is missing to rebuild it"
        else
            bench_die "$BENCH_DEFAULT_JAR is missing and so is mvn to build it"
        fi
    fi
    [[ -x $BENCH_NODE_CMD ]] || bench_die "node command $BENCH_NODE_CMD is not an executable file"
}

bench_jar_up_to_date() {
    [[ -f $BENCH_DEFAULT_JAR ]] || return 1
    [[ -z $(find "$BENCH_REPO_ROOT/pom.xml" "$BENCH_REPO_ROOT"/vpncloud-*/pom.xml "$BENCH_REPO_ROOT"/vpncloud-*/src/main \
        -newer "$BENCH_DEFAULT_JAR" -print -quit 2>/dev/null) ]]
}

# --- namespaces ------------------------------------------------------------------------------------

bench_ns() {
    printf '%s%s' "$BENCH_NS_PREFIX" "$1"
}

bench_underlay_ip() {
    printf '%s.%s' "$BENCH_UNDERLAY" "$1"
}

bench_create_hub() {
    ip netns add "$BENCH_HUB_NS"
    ip -n "$BENCH_HUB_NS" link set lo up
    ip -n "$BENCH_HUB_NS" link add "$BENCH_BRIDGE" type bridge
    ip -n "$BENCH_HUB_NS" link set "$BENCH_BRIDGE" up
}

# A node namespace NAME with veth0 = 10.213.0.INDEX/24, plugged into the hub's bridge.
bench_create_node_ns() {
    local name=$1 index=$2 ns port
    ns=$(bench_ns "$name")
    port="v-$name"
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip -n "$ns" link add veth0 type veth peer name "$port" netns "$BENCH_HUB_NS"
    ip -n "$BENCH_HUB_NS" link set "$port" master "$BENCH_BRIDGE" up
    ip -n "$ns" addr add "$(bench_underlay_ip "$index")/24" dev veth0
    ip -n "$ns" link set veth0 up
}

# The hub and the two node namespaces a and b of the pair benchmarks: bench_create_pair A_INDEX B_INDEX.
bench_create_pair() {
    bench_create_hub
    bench_create_node_ns a "$1"
    bench_create_node_ns b "$2"
}

# Stops the run unless node a reaches node b's underlay address B_INDEX: bench_require_bare_veth B_INDEX.
bench_require_bare_veth() {
    bench_wait_until 10 "a ping on the bare veth" bench_can_ping a "$(bench_underlay_ip "$1")" \
        || bench_die "the bare veth does not work"
}

# Makes node NAME's veth segment UDP like a real network card: without UDP segmentation offload the
# kernel splits a UDP_SEGMENT send into separate datagrams before veth, so the receiver gets them one by
# one (as off a wire) instead of as one super-datagram. Leaves GRO as veth has it (turning it on too
# changed nothing when measured).
bench_segment_like_a_nic() {
    ip netns exec "$(bench_ns "$1")" ethtool -K veth0 tx-udp-segmentation off >/dev/null \
        || bench_die "ethtool could not turn UDP segmentation offload off in $(bench_ns "$1")"
}

bench_our_namespaces() {
    ip netns list | awk -v p="$BENCH_NS_PREFIX" 'index($1, p) == 1 { print $1 }'
}

# Stops every process in our namespaces (TERM, then KILL after at most 3 s) and deletes them; the
# veth pairs and the bridge go with them.
bench_remove_namespaces() {
    local namespaces ns
    mapfile -t namespaces < <(bench_our_namespaces)
    [[ ${#namespaces[@]} == 0 ]] && return 0
    bench_signal_namespaces TERM "${namespaces[@]}"
    bench_wait_until 3 "processes in the namespaces to stop" bench_namespaces_empty "${namespaces[@]}" || true
    bench_signal_namespaces KILL "${namespaces[@]}"
    for ns in "${namespaces[@]}"; do
        ip netns del "$ns" 2>/dev/null || true
    done
    return 0
}

bench_signal_namespaces() {
    local signal=$1 ns pids
    shift
    for ns in "$@"; do
        pids=$(ip netns pids "$ns" 2>/dev/null || true)
        if [[ -n $pids ]]; then
            # shellcheck disable=SC2086 # one word per pid
            kill "-$signal" $pids 2>/dev/null || true
        fi
    done
}

bench_namespaces_empty() {
    local ns
    for ns in "$@"; do
        [[ -z $(ip netns pids "$ns" 2>/dev/null) ]] || return 1
    done
}

bench_teardown() {
    [[ $BENCH_TORN_DOWN == 1 ]] && return 0
    BENCH_TORN_DOWN=1
    bench_remove_namespaces
    bench_log "removed the ${BENCH_NS_PREFIX}* namespaces"
}

# --- processes -------------------------------------------------------------------------------------

# Starts NAME in namespace NS in the background with output to LOG: bench_start_in_ns NAME NS LOG CMD...
bench_start_in_ns() {
    local name=$1 ns=$2 log=$3
    shift 3
    ip netns exec "$ns" "$@" >>"$log" 2>&1 </dev/null &
    BENCH_PIDS[$name]=$!
    disown "$!" # no "Killed" report from bash when a trial kills it on purpose
}

# Starts the node command in namespace NAME as process NAME: bench_start_node NAME ARGS...
bench_start_node() {
    local name=$1
    shift
    BENCH_IS_NODE[$name]=1
    printf '# %s %s\n' "$BENCH_NODE_CMD" "$*" >>"$BENCH_OUT/$name.log"
    bench_start_in_ns "$name" "$(bench_ns "$name")" "$BENCH_OUT/$name.log" "$BENCH_NODE_CMD" "$@"
}

bench_pid() {
    printf '%s' "${BENCH_PIDS[$1]:?no process named $1}"
}

bench_alive() {
    kill -0 "$(bench_pid "$1")" 2>/dev/null
}

# The process doing the work under a launcher: follows single children down (script -> java).
bench_worker_pid() {
    local pid=$1 level children
    for ((level = 0; level < 4; level++)); do
        children=$(ps -o pid= --ppid "$pid" | tr -d ' ')
        [[ -n $children && $children != *$'\n'* ]] || break
        pid=$children
    done
    printf '%s' "$pid"
}

# The process to signal for NAME: for a node its worker (the JVM, not its launcher script).
bench_target_pid() {
    if [[ -n ${BENCH_IS_NODE[$1]:-} ]]; then
        bench_worker_pid "$(bench_pid "$1")"
    else
        bench_pid "$1"
    fi
}

# Sends SIGNAL to NAME; fails when it is gone already.
bench_signal() {
    kill "-$2" "$(bench_target_pid "$1")" 2>/dev/null
}

# Waits (bounded) until NAME has exited, after a signal.
bench_wait_exit() {
    local name=$1 timeout=$2
    bench_wait_until "$timeout" "$name to exit" bench_exited "$name"
}

bench_exited() {
    ! bench_alive "$1"
}

# For conditions: returns $BENCH_HOPELESS when one of the named processes has exited.
bench_require_alive() {
    local name
    for name in "$@"; do
        bench_alive "$name" || return "$BENCH_HOPELESS"
    done
}

# Stops NAME gracefully (TERM), and with KILL if it has not stopped within 10 s.
bench_stop() {
    local name=$1
    bench_alive "$name" || return 0
    bench_signal "$name" TERM || true
    if ! bench_wait_until 10 "$name to stop" bench_exited "$name"; then
        kill -KILL "$(bench_target_pid "$name")" "$(bench_pid "$name")" 2>/dev/null || true
    fi
}

# CPU clock ticks (user + system) used so far by PID and all its descendants.
bench_cpu_ticks() {
    local pid=$1 total=0 stat fields child
    if stat=$(cat "/proc/$pid/stat" 2>/dev/null); then
        read -r -a fields <<<"${stat##*) }" # after the command name, which may hold spaces
        total=$((fields[11] + fields[12]))  # utime and stime, fields 14 and 15 of stat
    fi
    for child in $(ps -o pid= --ppid "$pid"); do
        total=$((total + $(bench_cpu_ticks "$child")))
    done
    printf '%s' "$total"
}

# CPU time in nanoseconds (the scheduler's run time, finer than clock ticks) used so far by the live threads of PID
# and of all its descendants. A thread that has ended no longer counts, so take differences over a span in which
# the process keeps its threads (a node's data and control threads live as long as the node).
bench_cpu_ns() {
    local pid=$1 total=0 task run child
    for task in /proc/"$pid"/task/*/schedstat; do
        read -r run _ <"$task" 2>/dev/null || continue
        total=$((total + run))
    done
    for child in $(ps -o pid= --ppid "$pid"); do
        total=$((total + $(bench_cpu_ns "$child")))
    done
    printf '%s' "$total"
}

# Shows the end of a process log, for failures.
bench_show_log() {
    local name=$1
    [[ -f $BENCH_OUT/$name.log ]] || return 0
    bench_log "last lines of $BENCH_OUT/$name.log:"
    tail -n 15 "$BENCH_OUT/$name.log" >&2
}

# Runs CMD... and returns its status, waiting with the wait builtin: a trapped signal (Ctrl-C)
# interrupts that wait at once, whereas bash lets a foreground command finish first and drops
# SIGINT when that command did not die of it.
bench_run() {
    "$@" &
    wait "$!"
}

# --- waiting and time ------------------------------------------------------------------------------

bench_now_ms() {
    local micros=${EPOCHREALTIME/./}
    printf '%s' $((10#$micros / 1000))
}

# The status of a polled condition that can no longer become true (a node has exited).
BENCH_HOPELESS=99

# Polls CMD... every 50 ms until it succeeds; gives up after TIMEOUT seconds (and as many tries as
# fit into them), or at once when CMD returns $BENCH_HOPELESS: bench_wait_until TIMEOUT DESCRIPTION CMD...
bench_wait_until() {
    local timeout=$1 what=$2 deadline tries=0 max_tries status
    shift 2
    deadline=$(($(bench_now_ms) + timeout * 1000))
    max_tries=$((timeout * 20 + 1))
    while ((tries < max_tries)); do
        status=0
        bench_run "$@" >/dev/null 2>&1 || status=$?
        ((status == 0)) && return 0
        if ((status == BENCH_HOPELESS)); then
            bench_log "stopped waiting for $what: a process it needs has exited"
            return 1
        fi
        (($(bench_now_ms) >= deadline)) && break
        bench_run sleep 0.05
        tries=$((tries + 1))
    done
    bench_log "gave up after ${timeout} s waiting for $what"
    return 1
}

# Starts the two nodes of one variant and waits until a pings b through the VPN (AES-128-GCM):
# bench_start_variant_pair LABEL|NODE_CMD|OPTIONS ROUND A_INDEX A_VPN_IP B_VPN_IP. Node a gets --ip A_VPN_IP/24,
# node b --ip B_VPN_IP/24 and connects to a's underlay address; NODE_CMD empty means the --node-cmd of the run
# (BENCH_DEFAULT_NODE_CMD_CHOSEN), OPTIONS are extra node options. Sets BENCH_NODE_CMD. On failure it shows
# both logs and returns 1.
bench_start_variant_pair() {
    local label node options extra=() round=$2 a_index=$3 a_ip=$4 b_ip=$5 common
    IFS='|' read -r label node options <<<"$1"
    [[ -n $options ]] && read -r -a extra <<<"$options"
    BENCH_NODE_CMD=${node:-$BENCH_DEFAULT_NODE_CMD_CHOSEN}
    bench_log "$label, round $round: starting the nodes ($BENCH_NODE_CMD ${options})"
    common=(--password "$BENCH_PASSWORD" --algorithm aes128 -d "$BENCH_DEVICE" -l "$BENCH_VPN_PORT"
        ${extra[@]+"${extra[@]}"})
    bench_start_node a "${common[@]}" --ip "$a_ip/24"
    bench_start_node b "${common[@]}" --ip "$b_ip/24" -c "$(bench_underlay_ip "$a_index"):$BENCH_VPN_PORT"
    if ! bench_wait_until 60 "a ping from a to $b_ip through the VPN" bench_pair_ready "$b_ip"; then
        bench_show_log a
        bench_show_log b
        return 1
    fi
}

# Succeeds when nodes a and b run and a ping from a to ADDRESS is answered.
bench_pair_ready() {
    bench_require_alive a b || return
    bench_can_ping a "$1"
}

# Succeeds when a ping from namespace NAME to ADDRESS is answered within a second.
bench_can_ping() {
    ip netns exec "$(bench_ns "$1")" ping -c 1 -W 1 "$2" >/dev/null 2>&1
}

# Succeeds when something in namespace NAME listens on PROTOCOL (tcp or udp) PORT.
bench_listening() {
    local flag=-t
    [[ $2 == udp ]] && flag=-u
    [[ -n $(ip netns exec "$(bench_ns "$1")" ss -Hln "$flag" "sport = :$3" 2>/dev/null) ]]
}

# Probes TCP ADDRESS:PORT every INTERVAL seconds, each probe in the background and bounded to a second,
# appending "START_MS END_MS ANSWER" (ANSWER is "none" when nothing came back) to LOG; stops after
# MAX_SECONDS: bench_probe_loop LOG ADDRESS PORT INTERVAL MAX_SECONDS
bench_probe_loop() {
    local log=$1 address=$2 port=$3 interval=$4 max_seconds=$5 end probes=0 max_probes
    end=$(($(bench_now_ms) + max_seconds * 1000))
    max_probes=$(bench_calc 'printf "%d", s / i + 1' -v s="$max_seconds" -v i="$interval")
    while ((probes < max_probes && $(bench_now_ms) < end)); do
        bench_probe_once "$log" "$address" "$port" &
        sleep "$interval"
        probes=$((probes + 1))
    done
    wait
}

bench_probe_once() {
    local log=$1 address=$2 port=$3 start answer
    start=$(bench_now_ms)
    answer=$(timeout 1 socat -T 0.5 -u "TCP:$address:$port,connect-timeout=0.3" STDOUT 2>/dev/null \
        | head -c 64 | tr -dc 'a-z0-9-')
    printf '%s %s %s\n' "$start" "$(bench_now_ms)" "${answer:-none}" >>"$log"
}

# --- measuring -------------------------------------------------------------------------------------

# Pings COUNT times, ten a second, from namespace NAME: bench_ping NAME ADDRESS COUNT OUTPUT
bench_ping() {
    bench_run ip netns exec "$(bench_ns "$1")" ping -q -c "$3" -i 0.1 -W 1 "$2" >"$4" 2>&1 || true
}

# One figure of ping's summary line in ms, by its name (min, avg, max or mdev), from ping's OUTPUT, or nothing:
# bench_ping_ms OUTPUT NAME. The line names its figures ("rtt min/avg/max/mdev = 0.1/0.2/0.4/0.05 ms" from
# iputils, "round-trip min/avg/max = 0.1/0.2/0.4 ms" from busybox), so the figure is found by its name.
bench_ping_ms() {
    awk -v want="$2" '/^(rtt|round-trip) / && $3 == "=" {
        count = split($2, names, "/")
        split($4, values, "/")
        for (i = 1; i <= count; i++) if (names[i] == want) print values[i]
    }' "$1"
}

# The average round trip in ms from the OUTPUT of bench_ping, or nothing.
bench_ping_avg_ms() {
    bench_ping_ms "$1" avg
}

# Prints "BYTES SECONDS BITS_PER_SECOND" of the receiver from iperf3 -J output.
bench_iperf3_received() {
    awk '/"sum_received"/ { inside = 1 }
         inside && /"bytes"/ { gsub(/[^0-9.eE+-]/, "", $2); bytes = $2 }
         inside && /"seconds"/ { gsub(/[^0-9.eE+-]/, "", $2); seconds = $2 }
         inside && /"bits_per_second"/ { gsub(/[^0-9.eE+-]/, "", $2); bps = $2 }
         inside && /}/ { inside = 0 }
         END { if (bps != "") printf "%.0f %s %s\n", bytes, seconds, bps }' "$1"
}

# Prints "MEDIAN MIN MAX" of the numbers given as arguments.
bench_stats() {
    printf '%s\n' "$@" | sort -g | awk '
        { v[NR] = $1 }
        END {
            if (NR == 0) exit 1
            median = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            print median, v[1], v[NR]
        }'
}

# Evaluates an awk expression on numbers: bench_calc 'printf "%.3f", a / b' a=1 b=2
bench_calc() {
    local program=$1
    shift
    awk "$@" "BEGIN { $program }"
}

# The header lines every table starts with: what ran, when, where, and how busy the machine was.
bench_print_run_header() {
    local what=$1
    printf '%s\n' "$what"
    printf -- '- date: %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    printf -- '- node command: %s (%s)\n' "$BENCH_LABEL" "$BENCH_NODE_CMD"
    printf -- '- harness commit: %s\n' "$(git -C "$BENCH_REPO_ROOT" describe --always --dirty 2>/dev/null || echo unknown)"
    printf -- '- machine: %s cores, %s\n' "$(nproc)" \
        "$(lscpu 2>/dev/null | awk -F': *' '/^Model name/ { print $2; exit }')"
    printf -- '- load average (1, 5, 15 min) at the end: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
}
