#!/usr/bin/env bash
# Does anything an embedding application or the network does stall a node's data path? Runs the scenarios of
# io.vpncloud.bench.StallBenchmark with this build and, with --old, with an older revision, side by side, and
# prints one Markdown table: largest gap between arrivals, lost and late packets of a packet every millisecond
# each way between two nodes in one JVM.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STALL_NS=stall-bench
STALL_LINK=stall0
STALL_LINK_PEER=stall1
# The name server's network: its queries vanish without an answer, as with a dead server.
STALL_LINK_NET=10.212.0.1/24
STALL_NAME_SERVER=10.212.0.2
STALL_LOCK_FILE=${TMPDIR:-/tmp}/stall-bench.lock
STALL_RUN_LIMIT=300
MAIN_CLASS=io.vpncloud.bench.StallBenchmark
OLD_REV=
OLD_DIR=
KEEP_OLD=0
SCENARIOS=
JAVA=${JAVA:-java}

usage() {
    cat <<EOF
Usage: bench/stall.sh [OPTIONS]

Runs every stall scenario (see --list) in its own JVM inside a network namespace ($STALL_NS) whose
only name server does not answer, first with the build of --old (if given), then with this build, and
prints a Markdown table. Each scenario: two nodes with in-memory devices on loopback, a packet every
millisecond each way for --seconds (the slow-DNS scenario: at least 20 s); gap = the longest time
without an arrival, lost = not delivered within 5 s after the last send, late = delivered more than
50 ms after it was sent (of the worse direction).

Options:
  --old REV         also measure this git revision: built with Maven in a temporary worktree
                    (\${TMPDIR:-/tmp}/vpncloud-stall-REV), which is removed at the end
  --keep-old        keep (and reuse) that worktree
  --scenarios LIST  comma-separated scenario names [default: all]
  --list            print the scenarios and exit
  --seconds S       length of the traffic in seconds [default: 6]
  --smoke           one short scenario (listener-ha, 2 s), this build only
  --out DIR         where the logs go [default: bench/out/stall-TIMESTAMP]
  -h, --help        this help
Needs root (a network namespace); builds this tree's vpncloud-benchmarks module with Maven first.
EOF
}

parse_options() {
    BENCH_SECONDS=6
    while [[ $# -gt 0 ]]; do
        case $1 in
            -h | --help) usage; exit 0 ;;
            --old) OLD_REV=$(bench_option_value "$@"); shift 2 ;;
            --keep-old) KEEP_OLD=1; shift ;;
            --scenarios) SCENARIOS=$(bench_option_value "$@"); shift 2 ;;
            --list) LIST_ONLY=1; shift ;;
            --seconds) BENCH_SECONDS=$(bench_option_value "$@"); shift 2 ;;
            --smoke) BENCH_SMOKE=1; shift ;;
            --out) BENCH_OUT=$(bench_option_value "$@"); shift 2 ;;
            *) bench_usage_error "unknown option $1" ;;
        esac
    done
    [[ $BENCH_SECONDS =~ ^[1-9][0-9]*$ ]] || bench_usage_error "--seconds must be a positive whole number"
    if [[ $BENCH_SMOKE == 1 ]]; then
        [[ -z $OLD_REV ]] || bench_usage_error "--smoke measures this build only; leave out --old"
        SCENARIOS=listener-ha
        BENCH_SECONDS=2
    fi
}

# Builds the benchmark module (and what it needs) of the tree in $1.
build_tree() {
    bench_log "building $1"
    (cd "$1" && mvn -B -ntp -q -Dstyle.color=never -DskipTests package -pl vpncloud-benchmarks -am) >&2 \
        || bench_die "the build of $1 failed"
}

# The class path for one build: this tree's runner classes first, then that build's jar with its node and
# libraries (the runner's own classes shadow any of the same name in an older jar).
class_path() {
    printf '%s:%s' "$BENCH_REPO_ROOT/vpncloud-benchmarks/target/classes" "$1/vpncloud-benchmarks/target/benchmarks.jar"
}

prepare_old() {
    local sha
    sha=$(git -C "$BENCH_REPO_ROOT" rev-parse --short "$OLD_REV^{commit}") || bench_die "no such revision: $OLD_REV"
    OLD_DIR=${TMPDIR:-/tmp}/vpncloud-stall-$sha
    if [[ ! -d $OLD_DIR ]]; then
        git -C "$BENCH_REPO_ROOT" worktree add --detach "$OLD_DIR" "$sha" >&2 || bench_die "cannot check out $sha"
        OLD_CREATED=1
    fi
    [[ -f $OLD_DIR/vpncloud-benchmarks/target/benchmarks.jar ]] || build_tree "$OLD_DIR"
    OLD_REV=$sha
}

create_namespace() {
    remove_namespace
    ip netns add "$STALL_NS"
    ip -n "$STALL_NS" link set lo up
    # A veth pair inside the namespace, and a fixed neighbour entry that sends the name server's packets to a
    # hardware address nobody has: they leave, and vanish without an answer or an error.
    ip -n "$STALL_NS" link add "$STALL_LINK" type veth peer name "$STALL_LINK_PEER"
    ip -n "$STALL_NS" addr add "$STALL_LINK_NET" dev "$STALL_LINK"
    ip -n "$STALL_NS" link set "$STALL_LINK" up
    ip -n "$STALL_NS" link set "$STALL_LINK_PEER" up
    ip -n "$STALL_NS" neigh replace "$STALL_NAME_SERVER" lladdr 02:00:00:00:5e:01 dev "$STALL_LINK" nud permanent
    mkdir -p "/etc/netns/$STALL_NS"
    printf 'nameserver %s\noptions timeout:5 attempts:2\n' "$STALL_NAME_SERVER" >"/etc/netns/$STALL_NS/resolv.conf"
    # The slow-DNS scenario means nothing if the name answers (or fails) at once.
    if ip netns exec "$STALL_NS" timeout 2 getent hosts slow-peer.stall.example >/dev/null 2>&1 \
        || [[ $? != 124 ]]; then
        bench_log "warning: name lookups in $STALL_NS do not hang; the slow-dns scenario measures nothing"
    fi
}

remove_namespace() {
    ip netns del "$STALL_NS" 2>/dev/null || true
    rm -rf "/etc/netns/$STALL_NS"
}

cleanup() {
    remove_namespace
    if [[ -n $OLD_DIR && ${OLD_CREATED:-0} == 1 && $KEEP_OLD == 0 ]]; then
        git -C "$BENCH_REPO_ROOT" worktree remove --force "$OLD_DIR" 2>/dev/null || true
    fi
}

# Runs one scenario with one build; prints its RESULT line (or a line of dashes when it failed).
run_scenario() {
    local scenario=$1 label=$2 build=$3 log result
    log="$BENCH_OUT/$scenario-$label.log"
    bench_log "$scenario with $label"
    ip netns exec "$STALL_NS" timeout "$STALL_RUN_LIMIT" "$JAVA" -cp "$(class_path "$build")" "$MAIN_CLASS" \
        --scenario "$scenario" --seconds "$BENCH_SECONDS" >"$log.out" 2>"$log" || true
    result=$(grep '^RESULT' "$log.out" || true)
    if [[ -z $result ]]; then
        bench_log "$scenario with $label failed; see $log"
        result=$(printf 'RESULT\t%s\t-\t-\t-\t-\t-\tfailed' "$scenario")
    fi
    printf '%s\n' "$result"
}

# One cell group (gap, lost, late) and the note from a RESULT line.
cells() {
    awk -F'\t' '{ if ($3 == "-") print "failed | - | - |"; else printf "%s ms | %s of %s | %s |\n", $4, $5, $3, $6 }' <<<"$1"
}

note() {
    awk -F'\t' '{ print $8 }' <<<"$1"
}

main() {
    local scenario description old new
    LIST_ONLY=0
    parse_options "$@"
    [[ $(id -u) == 0 ]] || bench_die "run as root: the scenarios run in a network namespace"
    exec 9>"$STALL_LOCK_FILE"
    flock -n 9 || bench_die "another bench/stall.sh runs (lock $STALL_LOCK_FILE)"
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    build_tree "$BENCH_REPO_ROOT"
    if [[ $LIST_ONLY == 1 ]]; then
        "$JAVA" -cp "$(class_path "$BENCH_REPO_ROOT")" "$MAIN_CLASS" --list
        return 0
    fi
    [[ -n $OLD_REV ]] && prepare_old
    [[ -n $BENCH_OUT ]] || BENCH_OUT="$BENCH_DIR/out/stall-$(date -u +%Y%m%dT%H%M%SZ)"
    mkdir -p "$BENCH_OUT"
    create_namespace
    if [[ -z $SCENARIOS ]]; then
        SCENARIOS=$("$JAVA" -cp "$(class_path "$BENCH_REPO_ROOT")" "$MAIN_CLASS" --list | cut -f1 | paste -sd,)
    fi

    local this_label
    this_label="this build ($(git -C "$BENCH_REPO_ROOT" describe --always --dirty))"
    local rows=()
    IFS=, read -ra names <<<"$SCENARIOS"
    for scenario in "${names[@]}"; do
        description=$("$JAVA" -cp "$(class_path "$BENCH_REPO_ROOT")" "$MAIN_CLASS" --list \
            | awk -F'\t' -v s="$scenario" '$1 == s { print $2 }')
        [[ -n $description ]] || bench_die "unknown scenario $scenario (see --list)"
        if [[ -n $OLD_REV ]]; then
            old=$(run_scenario "$scenario" old "$OLD_DIR")
            new=$(run_scenario "$scenario" new "$BENCH_REPO_ROOT")
            rows+=("| $description | $(cells "$old") $(cells "$new") $(note "$old") / $(note "$new") |")
        else
            new=$(run_scenario "$scenario" new "$BENCH_REPO_ROOT")
            rows+=("| $description | $(cells "$new") $(note "$new") |")
        fi
    done

    echo
    if [[ -n $OLD_REV ]]; then
        echo "| scenario | old gap | old lost | old late | new gap | new lost | new late | notes (old / new) |"
        echo "|---|---|---|---|---|---|---|---|"
        bench_log "old = $OLD_REV, new = $this_label"
    else
        echo "| scenario | gap | lost | late | notes |"
        echo "|---|---|---|---|---|"
        bench_log "build: $this_label"
    fi
    printf '%s\n' "${rows[@]}"
}

main "$@"
