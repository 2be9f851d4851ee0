#!/usr/bin/env bash
# A one-node SLURM on localhost for the distributed tests and the bench: munged, slurmctld and
# slurmd started directly (no systemd, no cgroups), a config tuned to schedule at once.
#
#   .ci/slurm-localhost.sh [start|stop|status]    (default: start; idempotent, ~8 s from nothing)
#
# start: installs slurm-wlm + munge if missing (apt, root), writes /etc/slurm/slurm.conf, starts
#        the daemons not already running, waits until the node takes jobs. A running cluster
#        with the same config is left alone (a second start costs one `sinfo`).
# Env:   SLURM_WAIT_S (60) how long to wait for the node; SLURMD_TIMEOUT_S (300) SlurmdTimeout.
set -euo pipefail

ACTION=${1:-start}
RUN=/run/slurm
CTLD_PID=$RUN/slurmctld.pid
SLURMD_PID=$RUN/slurmd.pid
MUNGE_PID=/run/munge/munged.pid
CONF=/etc/slurm/slurm.conf
WAIT_S=${SLURM_WAIT_S:-60}

alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# stop a daemon by its pid file: TERM, then up to 10 s for it to go
stop_daemon() {
  local file=$1 name=$2 pid
  if alive "$file"; then
    pid=$(cat "$file")
    kill -TERM "$pid"
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then echo "$name ($pid) did not stop within 10 s" >&2; return 1; fi
  fi
  rm -f "$file"
}

node_state() { sinfo -h -n "$(hostname -s)" -o %T 2>/dev/null || true; }

case "$ACTION" in
  stop)
    stop_daemon "$SLURMD_PID" slurmd
    stop_daemon "$CTLD_PID" slurmctld
    stop_daemon "$MUNGE_PID" munged
    exit 0 ;;
  status)
    for f in "$MUNGE_PID" "$CTLD_PID" "$SLURMD_PID"; do
      if alive "$f"; then echo "alive: $f ($(cat "$f"))"; else echo "dead: $f"; fi
    done
    sinfo 2>/dev/null || true
    exit 0 ;;
  start) ;;
  *) echo "usage: $0 [start|stop|status]" >&2; exit 2 ;;
esac

[ "$(id -u)" = 0 ] || { echo "$0: starting SLURM needs root (it writes /etc/slurm and runs the daemons)" >&2; exit 1; }

# 1. the packages (Debian: 3.6 MB download); their postinst cannot start services without systemd
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
fi

# 2. munge: a key, then the daemon (it forks and writes its pid file)
if [ ! -s /etc/munge/munge.key ]; then
  if [ -x /usr/sbin/mungekey ]; then /usr/sbin/mungekey --create --keyfile=/etc/munge/munge.key
  else dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none; fi
fi
chown munge:munge /etc/munge/munge.key
chmod 0400 /etc/munge/munge.key
install -d -o munge -g munge -m 0755 /run/munge
install -d -o munge -g munge -m 0700 /var/log/munge /var/lib/munge
if ! alive "$MUNGE_PID"; then
  rm -f "$MUNGE_PID"
  runuser -u munge -- /usr/sbin/munged --force
  for _ in $(seq 50); do alive "$MUNGE_PID" && break; sleep 0.1; done
fi
munge -n | unmunge >/dev/null || { echo "$0: munge does not work (see /var/log/munge/munged.log)" >&2; exit 1; }

# 3. the config: this host's hardware as slurmd reports it; memory a little under the total, or
#    the node is drained for "Low RealMemory"
HOST=$(hostname -s)
HW=$(slurmd -C | head -n1 | tr ' ' '\n' | grep -E '^(CPUs|Boards|SocketsPerBoard|CoresPerSocket|ThreadsPerCore)=' | tr '\n' ' ')
MEM=$(( $(awk '/^MemTotal:/{print int($2 / 1024)}' /proc/meminfo) * 95 / 100 ))
install -d -m 0755 /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm "$RUN"
NEW=$(mktemp)
cat > "$NEW" <<CONF
# written by featureflow's .ci/slurm-localhost.sh
ClusterName=featureflow-ci
SlurmctldHost=${HOST}(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
MailProg=/bin/true
# processes tracked by parent pid: no cgroups, no systemd
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
# the default batch_sched_delay=3 keeps each new job pending ~3 s
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
SlurmdTimeout=${SLURMD_TIMEOUT_S:-300}
ReturnToService=2
MaxArraySize=10001
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=${CTLD_PID}
SlurmdPidFile=${SLURMD_PID}
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
NodeName=${HOST} NodeAddr=127.0.0.1 NodeHostname=${HOST} ${HW}RealMemory=${MEM} State=UNKNOWN
PartitionName=debug Nodes=${HOST} Default=YES MaxTime=INFINITE State=UP
CONF
if ! cmp -s "$NEW" "$CONF"; then
  install -m 0644 "$NEW" "$CONF"
  # a new config under running daemons: restart them
  stop_daemon "$SLURMD_PID" slurmd
  stop_daemon "$CTLD_PID" slurmctld
fi
rm -f "$NEW"

# 4. the daemons (each forks and writes its pid file)
if ! alive "$CTLD_PID"; then
  rm -f "$CTLD_PID"
  /usr/sbin/slurmctld
  for _ in $(seq 100); do alive "$CTLD_PID" && scontrol ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
if ! alive "$SLURMD_PID"; then
  rm -f "$SLURMD_PID"
  /usr/sbin/slurmd
  for _ in $(seq 100); do alive "$SLURMD_PID" && break; sleep 0.1; done
fi

# 5. wait until the node takes jobs; one left down or drained by an earlier run is resumed
state=""
for _ in $(seq $((WAIT_S * 5))); do
  state=$(node_state)
  case "$state" in
    idle|mixed|allocated|completing) break ;;
    down*|drain*|fail*) scontrol update NodeName="$HOST" State=RESUME 2>/dev/null || true ;;
  esac
  sleep 0.2
done
case "$state" in
  idle|mixed|allocated|completing) echo "slurm: node $HOST $state" ;;
  *) echo "$0: node $HOST is not ready (state '$state'); see /var/log/slurm/*.log" >&2
     scontrol show node "$HOST" >&2 || true
     exit 1 ;;
esac
