#!/usr/bin/env bash
# A node command for bench/latency.sh that runs FloorRelay (see FloorRelay.java): it takes the options the harness
# gives a node (-d DEVICE, -l PORT, --ip ADDRESS/LEN, -c PEER; the rest is ignored) and two of its own,
# --loop one|epoll|two and --crypto aes|plain, which a variant passes as its extra options:
#   bench/latency.sh --variant 'floor, one loop, AES|bench/floor/relay.sh|--loop one --crypto aes'
# It compiles FloorRelay against the JNA classes in vpncloud-cli/target/vpncloud.jar on first use.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
jar=$here/../../vpncloud-cli/target/vpncloud.jar
classes=$here/../out/floor-classes
device=vpncloud0 port=3210 address= peer=() loop=one crypto=aes
while [[ $# -gt 0 ]]; do
    case $1 in
        -d) device=$2; shift 2 ;;
        -l) port=$2; shift 2 ;;
        --ip) address=$2; shift 2 ;;
        -c) peer=("$2"); shift 2 ;;
        --loop) loop=$2; shift 2 ;;
        --crypto) crypto=$2; shift 2 ;;
        --password | --algorithm) shift 2 ;;
        *) shift ;;
    esac
done
[[ -f $jar ]] || { echo "relay.sh: build vpncloud-cli first ($jar is missing)" >&2; exit 1; }
if [[ ! -f $classes/FloorRelay.class || $here/FloorRelay.java -nt $classes/FloorRelay.class ]]; then
    mkdir -p "$classes"
    javac -cp "$jar" -d "$classes" "$here/FloorRelay.java"
fi
# The JVM options of the vpncloud launcher that shape the data path (collector, heap).
java -XX:+UseSerialGC -Xms8m -Xmx48m -cp "$classes:$jar" FloorRelay "$device" "$port" "$loop" "$crypto" \
    ${peer[@]+"${peer[@]}"} &
relay=$!
for _ in $(seq 100); do
    ip link show "$device" >/dev/null 2>&1 && break
    sleep 0.05
done
ip addr add "$address" dev "$device"
ip link set "$device" up
wait "$relay"
