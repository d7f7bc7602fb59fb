#!/bin/sh
# zk-start: configure this ZooKeeper member from its pod name and environment,
# then run the server in the foreground.
#
# The ensemble's shape comes from the manifest (env), never from the image:
#   ZK_REPLICAS        ensemble size (required)
#   ZK_SERVICE         headless Service that names the members (required)
#   ZK_NAMESPACE       the pod's namespace (required; downward API)
#   ZK_CLUSTER_DOMAIN  default cluster.local
#   ZK_DATA_DIR        default /var/lib/zookeeper/data (the claim's mount)
#   ZK_HEAP            default 128m
#   ZK_TICK_TIME, ZK_INIT_LIMIT, ZK_SYNC_LIMIT, ZK_MAX_CLIENT_CNXNS
#   ZK_CLIENT_PORT (2181), ZK_PEER_PORT (2888), ZK_ELECTION_PORT (3888)
#   ZK_CONF_DIR        where zoo.cfg is written, default /opt/zookeeper/conf
#   ZK_HOSTNAME        default $(hostname): the pod name, <set>-<ordinal>
#   ZK_JAVA_OPTS       appended to the JVM's options
set -eu

die() { echo "zk-start: $*" >&2; exit 1; }

: "${ZK_REPLICAS:?ZK_REPLICAS (ensemble size) is required}"
: "${ZK_SERVICE:?ZK_SERVICE (headless Service) is required}"
: "${ZK_NAMESPACE:?ZK_NAMESPACE (downward API metadata.namespace) is required}"
host=${ZK_HOSTNAME:-$(hostname)}
domain=${ZK_CLUSTER_DOMAIN:-cluster.local}
data=${ZK_DATA_DIR:-/var/lib/zookeeper/data}
conf=${ZK_CONF_DIR:-/opt/zookeeper/conf}
client_port=${ZK_CLIENT_PORT:-2181}
peer_port=${ZK_PEER_PORT:-2888}
election_port=${ZK_ELECTION_PORT:-3888}

set_name=${host%-*}
ordinal=${host##*-}
case $ordinal in
'' | *[!0-9]*) die "hostname $host does not end in -<ordinal>: run me in a StatefulSet" ;;
esac
case $ZK_REPLICAS in
'' | *[!0-9]* | 0) die "ZK_REPLICAS=$ZK_REPLICAS is not a positive number" ;;
esac
[ "$set_name" != "$host" ] || die "hostname $host has no <set>- prefix"
case $set_name in *-) die "hostname $host has no <set>- prefix" ;; esac
# Leading zeros are not ordinals a StatefulSet produces; refuse them so that
# 007 cannot become server 8.
[ "$ordinal" = 0 ] || [ "${ordinal#0}" = "$ordinal" ] || die "ordinal $ordinal has a leading zero"
[ "$ordinal" -lt "$ZK_REPLICAS" ] || die "ordinal $ordinal is outside an ensemble of $ZK_REPLICAS"
myid=$((ordinal + 1))
for port in "$client_port" "$peer_port" "$election_port"; do
	case $port in
	'' | *[!0-9]*) die "port \"$port\" is not a number (a Service named zk-client with service links sets ZK_CLIENT_PORT=tcp://...: set enableServiceLinks: false)" ;;
	esac
done

# myid is written once, on the member's first start: afterwards it comes from
# the claim, and a claim holding another member's id is refused rather than
# silently renumbered.
mkdir -p "$data" "$conf"
if [ -f "$data/myid" ]; then
	found=$(cat "$data/myid")
	[ "$found" = "$myid" ] || die "$data/myid says $found but $host is server $myid: this volume belongs to another member"
	echo "zk-start: myid $myid found on the data volume"
else
	echo "$myid" >"$data/myid.tmp"
	mv "$data/myid.tmp" "$data/myid"
	echo "zk-start: first start, wrote myid $myid"
fi

{
	echo "tickTime=${ZK_TICK_TIME:-2000}"
	echo "initLimit=${ZK_INIT_LIMIT:-10}"
	echo "syncLimit=${ZK_SYNC_LIMIT:-5}"
	echo "maxClientCnxns=${ZK_MAX_CLIENT_CNXNS:-60}"
	echo "dataDir=$data"
	echo "clientPort=$client_port"
	echo "4lw.commands.whitelist=*"
	# Bind the quorum ports on every address: a member's own DNS name may not
	# resolve yet when it starts.
	echo "quorumListenOnAllIPs=true"
	echo "admin.enableServer=false"
	echo "autopurge.snapRetainCount=3"
	echo "autopurge.purgeInterval=1"
	i=0
	while [ "$i" -lt "$ZK_REPLICAS" ]; do
		echo "server.$((i + 1))=$set_name-$i.$ZK_SERVICE.$ZK_NAMESPACE.svc.$domain:$peer_port:$election_port"
		i=$((i + 1))
	done
} >"$conf/zoo.cfg"
# Peers' names resolve only once their pods exist, and a moved member comes
# back with another address: the JVM's default 10 s cache of failed lookups
# made a follower give up on its new leader (and the quorum wait initLimit
# ticks for the next election); 30 s of cached addresses would keep it
# calling a dead one.
printf 'networkaddress.cache.negative.ttl=0\nnetworkaddress.cache.ttl=5\n' >"$conf/java.security"
echo "zk-start: $host is server $myid of $ZK_REPLICAS; $conf/zoo.cfg:"
sed 's/^/  /' "$conf/zoo.cfg"

# A small heap, one GC thread and the C1 compiler only: several members share
# two cores with a whole kind cluster.
# shellcheck disable=SC2086 # ZK_JAVA_OPTS is a list of options
exec java -Xmx"${ZK_HEAP:-128m}" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData \
	-Djava.net.preferIPv4Stack=true -Djava.security.properties="$conf/java.security" \
	-Dorg.slf4j.simpleLogger.showDateTime=true \
	-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd\'T\'HH:mm:ss.SSSZ \
	${ZK_JAVA_OPTS:-} \
	-cp '/opt/zookeeper/lib/*' org.apache.zookeeper.server.quorum.QuorumPeerMain "$conf/zoo.cfg"
