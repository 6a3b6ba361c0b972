#!/usr/bin/env bash
# Demo of the supervision view against a running service started with CLOCK_MODE=controllable:
#   PORT=3200 CLOCK_MODE=controllable ADMIN_PASSWORD=admin-password-123 npm start   # then:
#   B=http://127.0.0.1:3200 ADMIN_PASSWORD=admin-password-123 bash scripts/demo-overdue.sh
# Three cities submit one referral each, the clock moves 25 h, and the Zhejiang supervisor
# sees the overdue transfers of Hangzhou and Ningbo (not Nanjing), exports them, and Bull Board
# answers 401 / 403 / 200 for no token, a supervisor and the admin. Run it once per fresh database.
set -u
B=${B:-http://127.0.0.1:3000}
j() { node -pe "JSON.parse(require('fs').readFileSync(0)).$1"; }
T=$(curl -s $B/api/v1/auth/login -H 'content-type: application/json' -d '{"username":"admin","password":"'"$ADMIN_PASSWORD"'"}' | j accessToken)
mk() { curl -s $B/api/v1/agencies -H "authorization: Bearer $T" -H 'content-type: application/json' -d "{\"code\":\"$1\",\"name\":\"$2\",\"kind\":\"$3\",\"regionCode\":\"$4\"}" | j id; }
u() { curl -s $B/api/v1/users -H "authorization: Bearer $T" -H 'content-type: application/json' -d "{\"username\":\"$1\",\"password\":\"password-12345\",\"displayName\":\"$1\",\"agencyId\":\"$2\",\"roles\":[\"$3\"]}" > /dev/null; }
tok() { curl -s $B/api/v1/auth/login -H 'content-type: application/json' -d "{\"username\":\"$1\",\"password\":\"password-12345\"}" | j accessToken; }
ZJ=$(mk zj-kunlun "浙江省昆仑办" supervisor 330000); u zjsup $ZJ supervisor
for city in hz:330100 nb:330200 nj:320100; do c=${city%%:*}; r=${city##*:}
  A=$(mk $c-amr "$c AMR" regulator $r); P=$(mk $c-psb "$c PSB" police $r); u $c-officer $A agency-officer
  TO=$(tok $c-officer)
  curl -s $B/api/v1/referrals -H "authorization: Bearer $TO" -H 'content-type: application/json' -d "{\"targetAgencyId\":\"$P\",\"domain\":\"food\",\"title\":\"假冒白酒案 $c\",\"summary\":\"s\",\"suspects\":[{\"kind\":\"organization\",\"name\":\"X\",\"idNumber\":\"91330100MA2B3C4D12\"}]}" | j referenceNo
done
curl -s $B/api/v1/test-clock/advance -H "authorization: Bearer $T" -H 'content-type: application/json' -d '{"hours":25}'; echo; sleep 3
S=$(tok zjsup)
echo "== overdue for the Zhejiang supervisor"
curl -s "$B/api/v1/supervision/overdue" -H "authorization: Bearer $S" | node -e 'const b=JSON.parse(require("fs").readFileSync(0));for(const i of b.items)console.log(i.referral.referenceNo,i.referral.regionCode,i.deadline.kind,i.deadline.status,"overdueBy",i.overdueBy,"level",i.escalationLevel)'
echo "== export.csv"
curl -s "$B/api/v1/supervision/export.csv" -H "authorization: Bearer $S" | head -c 600 | od -c | head -3
curl -s "$B/api/v1/supervision/export.csv" -H "authorization: Bearer $S" | tail -n +1
echo "== bull board"
curl -s -o /dev/null -w "no token %{http_code}\n" $B/admin/queues
curl -s -o /dev/null -w "supervisor %{http_code}\n" $B/admin/queues -H "authorization: Bearer $S"
curl -s -o /tmp/board.html -w "admin %{http_code}\n" $B/admin/queues -H "authorization: Bearer $T"; grep -o "<title>[^<]*" /tmp/board.html
curl -s $B/metrics | grep -E "^caselink_(transitions_total|outbox_backlog|queue_depth)" | head -8
