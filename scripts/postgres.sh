#!/usr/bin/env bash
# scripts/postgres.sh: get a local PostgreSQL with the pgvector extension ready
# for barraiser (development and tests).
#
#   export DATABASE_URL=$(scripts/postgres.sh)
#
# Progress goes to stderr; the only thing written to stdout is the database URL.
# Run with --help for details.
set -euo pipefail

# Keep the real stdout on fd 3 for the URL; everything else, including the
# output of every command run below, goes to stderr.
exec 3>&1 1>&2

# Development/test credentials ONLY. The password is public, and the role is a
# SUPERUSER because the test suite creates and drops one database per test
# package and runs CREATE EXTENSION in each. Never use this on a shared or
# production server.
readonly ROLE=barraiser
readonly PASSWORD=barraiser

readonly HOST=127.0.0.1
PORT=${PGPORT:-5432}
DB=${BARRAISER_DB_NAME:-barraiser}

readonly SOCKET_DIR=/var/run/postgresql
# pgvector is built from the source package of this Debian suite (bookworm has
# no pgvector binary package). Only source packages are enabled from it: its
# binary packages would drag in a newer libc.
readonly SRC_SUITE=trixie
readonly SRC_FILE=/etc/apt/sources.list.d/barraiser-pgvector-src.sources
readonly DEFAULT_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
readonly WAIT_SECONDS=30

export PGCONNECT_TIMEOUT=${PGCONNECT_TIMEOUT:-5}

CHECK_ONLY=0
BUILD_DIR=""

usage() {
	cat <<EOF
Usage: scripts/postgres.sh [--check] [--help]

Makes a local PostgreSQL with the pgvector extension ready for barraiser and
prints its URL (the only line written to stdout):

  export DATABASE_URL=\$(scripts/postgres.sh)

On Debian with PostgreSQL installed (postgresql-common), as root or via sudo:
  1. installs pgvector if the server lacks it (a postgresql-N-pgvector package
     if apt has one, otherwise built from Debian ${SRC_SUITE}'s pgvector source
     package; the deb-src entry lives in ${SRC_FILE}),
  2. starts the cluster on port \$PGPORT if it is down and waits for it,
  3. creates the login role '${ROLE}' (password '${ROLE}', SUPERUSER; for
     development and tests only) and a database owned by it,
  4. runs CREATE EXTENSION IF NOT EXISTS vector in that database.
Every step is skipped when already done, so a second run only checks.

If a server on 127.0.0.1:\$PGPORT already accepts the role with pgvector (for
example 'docker compose up -d db'), nothing is changed on any system.

Options:
  --check   verify only; change nothing. Exit 0 (printing the URL) when ready,
            otherwise exit 1 and say what is missing and how to fix it.
  --help    show this help.

Environment:
  PGPORT              server port (default 5432)
  BARRAISER_DB_NAME   database name (default barraiser)
EOF
}

log() { printf 'postgres.sh: %s\n' "$*" >&2; }

die() {
	printf 'postgres.sh: error: %s\n' "$1" >&2
	shift
	local arg line
	for arg in "$@"; do
		while IFS= read -r line; do printf '  %s\n' "$line" >&2; done <<<"$arg"
	done
	exit 1
}

alternatives() {
	printf '%s\n' \
		"Alternatives: install PostgreSQL and pgvector yourself and create role '${ROLE}'" \
		"(password '${PASSWORD}', SUPERUSER) and database '${DB}' on ${HOST}:${PORT}," \
		"or run 'docker compose up -d db' from the repository root; then run this script again."
}

cleanup() {
	if [[ -n $BUILD_DIR && -d $BUILD_DIR ]]; then
		rm -rf -- "$BUILD_DIR"
	fi
}
trap cleanup EXIT

have() { command -v "$1" >/dev/null 2>&1; }

# Commands run as root or postgres never see fd 3 (this script's real
# stdout, usually a $(...) pipe): a server they start outlives the script,
# and a caller reading that pipe would otherwise wait for it forever.
as_root() {
	if ((EUID == 0)); then "$@" 3>&-; else sudo "$@" 3>&-; fi
}

as_postgres() {
	# cd / so psql does not complain about an unreadable working directory.
	if ((EUID == 0)); then
		(cd / && runuser -u postgres -- "$@" 3>&-)
	else
		(cd / && sudo -u postgres -- "$@" 3>&-)
	fi
}

url() { printf 'postgres://%s:%s@%s:%s/%s?sslmode=disable' "$ROLE" "$PASSWORD" "$HOST" "$PORT" "${1:-$DB}"; }

# psql as the barraiser role over TCP, exactly as the application connects.
url_psql() {
	local db=$1
	shift
	psql -X -w -q -A -t -v ON_ERROR_STOP=1 -d "$(url "$db")" "$@"
}

# psql as the postgres superuser over the local socket (peer authentication).
admin_psql() {
	as_postgres psql -X -w -q -A -t -v ON_ERROR_STOP=1 -h "$SOCKET_DIR" -p "$PORT" -U postgres -d postgres "$@"
}

server_ready() { have pg_isready && pg_isready -q -h "$HOST" -p "$PORT" -t 2; }

ext_version() {
	url_psql "$DB" -c "SELECT extversion FROM pg_extension WHERE extname = 'vector'"
}

# Succeeds when the server can use pgvector right now: its extension files are
# on disk (pg_available_extensions reads the control files, needed by CREATE
# EXTENSION in the per-test databases) and the library loads (the cast).
ext_works() {
	[[ $(url_psql "$DB" -c "SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'" \
		-c "SELECT '[1,2]'::vector <-> '[1,3]'::vector" 2>/dev/null) == $'1\n1' ]]
}

emit_url() { url >&3; printf '\n' >&3; }

# --- local cluster discovery (Debian postgresql-common) ---------------------

PG_VERSION="" CLUSTER="" CLUSTER_STATUS="" CLUSTER_LOG=""

# Sets PG_VERSION/CLUSTER/CLUSTER_STATUS/CLUSTER_LOG to the cluster on $PORT.
find_cluster() {
	have pg_lsclusters || return 1
	local line
	line=$(pg_lsclusters -h 2>/dev/null | awk -v port="$PORT" '$3 == port { print; exit }')
	[[ -n $line ]] || return 1
	read -r PG_VERSION CLUSTER _ CLUSTER_STATUS _ _ CLUSTER_LOG <<<"$line"
}

# Highest PostgreSQL major version whose server binaries are installed.
newest_installed_version() {
	local dir best=""
	for dir in /usr/lib/postgresql/*/bin/postgres; do
		[[ -x $dir ]] || continue
		dir=${dir#/usr/lib/postgresql/}
		dir=${dir%%/*}
		if [[ -z $best ]] || ((dir > best)); then best=$dir; fi
	done
	[[ -n $best ]] && printf '%s\n' "$best"
}

pg_config_for() { printf '/usr/lib/postgresql/%s/bin/pg_config\n' "$1"; }

# Prints "<sharedir>/extension/vector.control <pkglibdir>/vector.so".
vector_files_for() {
	local pgc sharedir pkglibdir
	pgc=$(pg_config_for "$1")
	if [[ -x $pgc ]]; then
		sharedir=$("$pgc" --sharedir)
		pkglibdir=$("$pgc" --pkglibdir)
	else
		sharedir=/usr/share/postgresql/$1
		pkglibdir=/usr/lib/postgresql/$1/lib
	fi
	printf '%s %s\n' "$sharedir/extension/vector.control" "$pkglibdir/vector.so"
}

vector_installed_for() {
	local control so
	read -r control so < <(vector_files_for "$1")
	[[ -f $control && -f $so ]]
}

os_field() {
	awk -F= -v key="$1" '$1 == key { v = $2; gsub(/^"|"$/, "", v); print v; exit }' /etc/os-release
}

# --- fast path: a server already does everything ----------------------------

# Succeeds when 127.0.0.1:$PORT accepts the role as a superuser and the
# database has pgvector. Outside --check, creates the extension when the server
# has pgvector available but the database does not have it yet.
already_ready() {
	have psql || return 1
	server_ready || return 1
	local super ver
	super=$(url_psql "$DB" -c "SELECT rolsuper FROM pg_roles WHERE rolname = current_user" 2>/dev/null) || return 1
	[[ $super == t ]] || return 1
	ver=$(ext_version 2>/dev/null) || return 1
	if [[ -z $ver ]]; then
		((CHECK_ONLY == 0)) || return 1
		url_psql "$DB" -c "SET client_min_messages = warning" -c "CREATE EXTENSION IF NOT EXISTS vector" 2>/dev/null || return 1
		ver=$(ext_version) || return 1
		log "created extension vector in database ${DB}"
	fi
	ext_works || return 1
	log "${HOST}:${PORT} accepts role ${ROLE} (superuser); database ${DB} has vector ${ver}; nothing to do"
}

# --- --check diagnosis --------------------------------------------------------

diagnose() {
	local problems=() fix="Fix: run scripts/postgres.sh (as root or with sudo)."
	if ! have psql; then
		problems+=("psql (the PostgreSQL client) is not installed. Fix (Debian, as root): apt-get install -y postgresql; then run scripts/postgres.sh.")
	fi
	if find_cluster; then
		if ! vector_installed_for "$PG_VERSION"; then
			local control so
			read -r control so < <(vector_files_for "$PG_VERSION")
			problems+=("pgvector is not installed for PostgreSQL ${PG_VERSION} (missing ${control} or ${so}). ${fix}")
		fi
		if [[ $CLUSTER_STATUS != online* ]]; then
			problems+=("cluster ${PG_VERSION}/${CLUSTER} (port ${PORT}) is ${CLUSTER_STATUS}. ${fix} Or just start it: pg_ctlcluster ${PG_VERSION} ${CLUSTER} start")
		fi
	elif have pg_lsclusters; then
		problems+=("no local PostgreSQL cluster uses port ${PORT} (see pg_lsclusters). ${fix}")
	fi
	if have psql && server_ready; then
		if url_psql "$DB" -c "SELECT 1" >/dev/null 2>&1; then
			if [[ $(url_psql "$DB" -c "SELECT rolsuper FROM pg_roles WHERE rolname = current_user") != t ]]; then
				problems+=("role ${ROLE} is not a SUPERUSER (the tests create databases and extensions). ${fix}")
			fi
			if [[ -z $(url_psql "$DB" -c "SELECT 1 FROM pg_available_extensions WHERE name = 'vector'") ]]; then
				problems+=("the server on ${HOST}:${PORT} has no pgvector extension files. ${fix}")
			elif [[ -z $(ext_version) ]]; then
				problems+=("extension vector is not created in database ${DB}. ${fix} Or: psql \"$(url)\" -c 'CREATE EXTENSION vector'")
			elif ! ext_works; then
				problems+=("extension vector is created in database ${DB} but its library does not load (pgvector removed or broken on the server). ${fix}")
			fi
		elif url_psql postgres -c "SELECT 1" >/dev/null 2>&1; then
			problems+=("database ${DB} does not exist. ${fix}")
		else
			problems+=("cannot log in to ${HOST}:${PORT} as ${ROLE}/${PASSWORD} (role missing, other password, or pg_hba.conf). ${fix}")
		fi
	elif have pg_isready; then
		problems+=("nothing accepts connections on ${HOST}:${PORT}.")
	fi
	if ((${#problems[@]} == 0)); then
		problems+=("the server on ${HOST}:${PORT} is not usable as ${ROLE} for an unknown reason. ${fix}")
	fi
	printf 'postgres.sh: not ready:\n' >&2
	printf '  - %s\n' "${problems[@]}" >&2
	alternatives >&2
	exit 1
}

# --- setup steps ---------------------------------------------------------------

# Prints "<URI> <keyring>" of the machine's own Debian archive entry.
debian_archive_source() {
	local codename=$1 file found=""
	for file in /etc/apt/sources.list.d/*.sources; do
		[[ -f $file && $file != "$SRC_FILE" ]] || continue
		found=$(awk -v want="$codename" '
			BEGIN { RS = ""; FS = "\n" }
			{
				types = ""; uris = ""; suites = ""; signed = ""
				for (i = 1; i <= NF; i++) {
					line = $i
					if (line ~ /^[ \t#]/ || index(line, ":") == 0) continue
					key = tolower(substr(line, 1, index(line, ":") - 1))
					val = substr(line, index(line, ":") + 1)
					gsub(/^[ \t]+|[ \t]+$/, "", val)
					if (key == "types") types = val
					else if (key == "uris") uris = val
					else if (key == "suites") suites = val
					else if (key == "signed-by") signed = val
				}
				if ((" " types " ") ~ / deb / && (" " suites " ") ~ (" " want " ") && uris != "") {
					split(uris, u, /[ \t]+/)
					print u[1], signed
					exit
				}
			}' "$file")
		[[ -n $found ]] && break
	done
	if [[ -z $found && -f /etc/apt/sources.list ]]; then
		found=$(awk -v want="$codename" '
			$1 == "deb" {
				i = 2
				if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
				if ($(i + 1) == want) { print $i; exit }
			}' /etc/apt/sources.list)
	fi
	[[ -n $found ]] || return 1
	local uri keyring
	read -r uri keyring <<<"$found"
	# A keyring given inline (multi-line Signed-By) is not reusable here.
	if [[ -z $keyring || $keyring != /* ]]; then keyring=$DEFAULT_KEYRING; fi
	printf '%s %s\n' "$uri" "$keyring"
}

write_src_entry() {
	if [[ -f $SRC_FILE ]]; then
		log "reusing apt source entry ${SRC_FILE}"
		return
	fi
	local uri=$1 keyring=$2
	log "adding source-only (deb-src) ${SRC_SUITE} entry ${SRC_FILE}"
	printf '%s\n' \
		"# Added by barraiser's scripts/postgres.sh to build pgvector from source." \
		"# Source packages only: binary packages from ${SRC_SUITE} are deliberately" \
		"# not enabled. Safe to delete." \
		"Types: deb-src" \
		"URIs: ${uri}" \
		"Suites: ${SRC_SUITE}" \
		"Components: main" \
		"Signed-By: ${keyring}" |
		as_root tee "$SRC_FILE" >/dev/null
}

apt_candidate() {
	local cand
	cand=$(apt-cache policy "$1" 2>/dev/null | awk '$1 == "Candidate:" { print $2; exit }')
	[[ -n $cand && $cand != "(none)" ]]
}

install_pgvector() {
	local v=$1 is_debian=$2 src_uri=$3 src_keyring=$4 control so pgc
	read -r control so < <(vector_files_for "$v")
	if [[ -f $control && -f $so ]]; then
		log "pgvector files present for PostgreSQL ${v} ($(awk -F"'" '/^default_version/ { print $2 }' "$control")): skipping the build"
		return
	fi
	log "pgvector is missing for PostgreSQL ${v} (${control}); installing it"

	if ((is_debian)); then
		write_src_entry "$src_uri" "$src_keyring"
	fi
	log "apt-get update"
	if ! as_root apt-get -q update; then
		die "apt-get update failed (see above)." "The pgvector source entry is ${SRC_FILE}."
	fi

	if apt_candidate "postgresql-${v}-pgvector"; then
		log "installing package postgresql-${v}-pgvector"
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "postgresql-${v}-pgvector"
	elif ((is_debian)); then
		log "no postgresql-${v}-pgvector package; building pgvector from ${SRC_SUITE}'s source package"
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			"postgresql-server-dev-${v}" dpkg-dev make gcc
		pgc=$(pg_config_for "$v")
		[[ -x $pgc ]] || die "${pgc} not found after installing postgresql-server-dev-${v}."

		BUILD_DIR=$(mktemp -d -t barraiser-pgvector.XXXXXX)
		local apt_opts=(-q)
		# As root, tell apt not to drop to the _apt user, which cannot write
		# into the private build dir (it would only warn and carry on).
		((EUID == 0)) && apt_opts+=(-o APT::Sandbox::User=root)
		(cd "$BUILD_DIR" && apt-get "${apt_opts[@]}" source pgvector) ||
			die "apt-get source pgvector failed (is ${SRC_SUITE}'s deb-src entry in ${SRC_FILE} usable?)."
		local srcdir
		srcdir=$(find "$BUILD_DIR" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | head -n 1)
		[[ -n $srcdir ]] || die "apt-get source pgvector left no pgvector-* folder in ${BUILD_DIR}."
		log "building $(basename "$srcdir") against ${pgc}"
		# OPTFLAGS="" drops pgvector's default -march=native so the build does
		# not depend on this particular CPU (the same as Debian's own package).
		make -C "$srcdir" -j"$(nproc)" PG_CONFIG="$pgc" OPTFLAGS="" >/dev/null ||
			die "building pgvector failed (see above)."
		as_root make -C "$srcdir" PG_CONFIG="$pgc" OPTFLAGS="" install >/dev/null ||
			die "installing pgvector failed (see above)."
		cleanup
		BUILD_DIR=""
	else
		die "apt has no postgresql-${v}-pgvector package, and building from Debian's source package is only done on Debian." \
			"Add a repository that ships postgresql-${v}-pgvector (e.g. the PostgreSQL project's apt repository) or build pgvector yourself." \
			"$(alternatives)"
	fi

	[[ -f $control && -f $so ]] || die "pgvector was installed but ${control} or ${so} is still missing."
	log "pgvector $(awk -F"'" '/^default_version/ { print $2 }' "$control") installed for PostgreSQL ${v}"
}

wait_ready() {
	local i
	for ((i = 0; i < WAIT_SECONDS * 2; i++)); do
		server_ready && return 0
		sleep 0.5
	done
	return 1
}

ensure_running() {
	if [[ $CLUSTER_STATUS == online* ]]; then
		log "cluster ${PG_VERSION}/${CLUSTER} already running on port ${PORT}"
	else
		log "starting cluster ${PG_VERSION}/${CLUSTER} on port ${PORT}"
		if ! as_root pg_ctlcluster "$PG_VERSION" "$CLUSTER" start </dev/null; then
			as_root tail -n 20 "$CLUSTER_LOG" >&2 || true
			die "pg_ctlcluster ${PG_VERSION} ${CLUSTER} start failed; log: ${CLUSTER_LOG}"
		fi
	fi
	if ! wait_ready; then
		as_root tail -n 20 "$CLUSTER_LOG" >&2 || true
		die "the server does not accept connections on ${HOST}:${PORT} after ${WAIT_SECONDS}s; log: ${CLUSTER_LOG}" \
			"(check listen_addresses and port in /etc/postgresql/${PG_VERSION}/${CLUSTER}/postgresql.conf)"
	fi
	log "server accepts connections on ${HOST}:${PORT}"
}

ensure_role_and_db() {
	local state
	state=$(admin_psql -c "SELECT rolsuper AND rolcanlogin FROM pg_roles WHERE rolname = '${ROLE}'") ||
		die "cannot run psql as the postgres user on ${SOCKET_DIR} port ${PORT}."
	case $state in
	t) log "role ${ROLE} exists (login, superuser): skipping" ;;
	f)
		log "role ${ROLE} exists without LOGIN or SUPERUSER: granting them"
		admin_psql -c "ALTER ROLE ${ROLE} WITH LOGIN SUPERUSER"
		;;
	*)
		log "creating role ${ROLE} (login, superuser; dev/test password)"
		admin_psql -c "CREATE ROLE ${ROLE} WITH LOGIN SUPERUSER PASSWORD '${PASSWORD}'"
		;;
	esac

	if [[ -n $(admin_psql -c "SELECT 1 FROM pg_database WHERE datname = '${DB}'") ]]; then
		log "database ${DB} exists: skipping"
	else
		log "creating database ${DB} owned by ${ROLE}"
		admin_psql -c "CREATE DATABASE \"${DB}\" OWNER ${ROLE}"
	fi

	if ! url_psql "$DB" -c "SELECT 1" >/dev/null 2>&1; then
		log "cannot log in as ${ROLE} over TCP; resetting its password"
		admin_psql -c "ALTER ROLE ${ROLE} WITH PASSWORD '${PASSWORD}'"
		if ! url_psql "$DB" -c "SELECT 1" >/dev/null; then
			die "still cannot log in as ${ROLE} to ${HOST}:${PORT}/${DB} with a password." \
				"Check that $(admin_psql -c 'SHOW hba_file') allows password (scram-sha-256 or md5) logins from ${HOST}."
		fi
	fi
}

ensure_extension() {
	local ver
	ver=$(ext_version)
	if [[ -n $ver ]]; then
		log "extension vector ${ver} already created in database ${DB}"
	else
		url_psql "$DB" -c "SET client_min_messages = warning" -c "CREATE EXTENSION IF NOT EXISTS vector" ||
			die "CREATE EXTENSION vector failed in database ${DB}."
		ver=$(ext_version)
		log "created extension vector ${ver} in database ${DB}"
	fi
	[[ -n $ver ]] || die "extension vector is not present in database ${DB} after CREATE EXTENSION."
	ext_works || die "extension vector ${ver} is created in database ${DB} but does not work (see: scripts/postgres.sh --check)."
	log "vector version: ${ver}"
}

setup_local() {
	# Preflight: everything that can rule this machine out is checked before
	# anything is changed on it.
	if [[ $(uname -s) != Linux || ! -r /etc/os-release ]] || ! have apt-get || ! have dpkg; then
		die "automatic setup needs a Debian-based Linux with apt; this machine is not one." "$(alternatives)"
	fi
	if ! have pg_lsclusters || ! have pg_ctlcluster || ! have psql || [[ -z $(newest_installed_version) ]]; then
		die "PostgreSQL (server and postgresql-common) is not installed." \
			"Install it first, as root: apt-get install -y postgresql; then run this script again." \
			"$(alternatives)"
	fi
	if ((EUID != 0)) && ! have sudo; then
		die "this needs root (apt-get, pg_ctlcluster, psql as postgres), you are not root, and sudo is not installed." \
			"Run it as root (e.g. su -c scripts/postgres.sh), or: scripts/postgres.sh --check to only see what is missing."
	fi
	if ((EUID == 0)) && ! have runuser; then
		die "runuser (util-linux) is not installed; it is needed to run psql as the postgres user."
	fi

	if ! find_cluster; then
		if server_ready; then
			die "something that is not a local postgresql-common cluster serves ${HOST}:${PORT} but does not accept role ${ROLE} with pgvector." \
				"Fix that server (see scripts/postgres.sh --check), stop it, or set PGPORT to another port."
		fi
		local others
		others=$(pg_lsclusters -h 2>/dev/null | awk '{ printf "%s/%s on port %s; ", $1, $2, $3 }')
		if [[ -n $others ]]; then
			die "no PostgreSQL cluster uses port ${PORT}. Existing clusters: ${others%; }." \
				"Set PGPORT to one of those ports, or create one: pg_createcluster -p ${PORT} <version> <name>"
		fi
		local v
		v=$(newest_installed_version)
		log "no PostgreSQL cluster exists; creating ${v}/main on port ${PORT}"
		as_root pg_createcluster -p "$PORT" "$v" main
		find_cluster || die "pg_createcluster ${v} main did not leave a cluster on port ${PORT}."
	fi
	[[ -x /usr/lib/postgresql/$PG_VERSION/bin/postgres ]] ||
		die "cluster ${PG_VERSION}/${CLUSTER} uses port ${PORT} but postgresql-${PG_VERSION} is not installed."
	log "using cluster ${PG_VERSION}/${CLUSTER} (port ${PORT}, ${CLUSTER_STATUS})"

	local is_debian=0 src_uri="" src_keyring=""
	if ! vector_installed_for "$PG_VERSION"; then
		if [[ $(os_field ID) == debian ]]; then
			is_debian=1
			local codename
			codename=$(os_field VERSION_CODENAME)
			[[ -n $codename ]] || die "cannot tell this Debian's codename from /etc/os-release."
			read -r src_uri src_keyring < <(debian_archive_source "$codename") ||
				die "found no apt entry for Debian ${codename} (Types: deb, Suites: ${codename}) to reuse for the ${SRC_SUITE} source entry." \
					"$(alternatives)"
		fi
	fi

	install_pgvector "$PG_VERSION" "$is_debian" "$src_uri" "$src_keyring"
	ensure_running
	ensure_role_and_db
	ensure_extension
}

main() {
	while (($#)); do
		case $1 in
		-h | --help)
			usage >&3
			exit 0
			;;
		--check) CHECK_ONLY=1 ;;
		*)
			printf 'postgres.sh: unknown argument: %s\n\n' "$1" >&2
			usage >&2
			exit 2
			;;
		esac
		shift
	done

	[[ $PORT =~ ^[0-9]+$ ]] || die "PGPORT must be a port number, not '${PORT}'."
	[[ $DB =~ ^[a-z_][a-z0-9_]{0,62}$ ]] ||
		die "BARRAISER_DB_NAME must be lower-case letters, digits and underscores, not '${DB}'."

	if already_ready; then
		emit_url
		exit 0
	fi
	if ((CHECK_ONLY)); then
		diagnose
	fi
	setup_local
	emit_url
}

main "$@"
