#!/usr/bin/env bash
# Makes vectors.properties: the exact signatures of the golden inputs, computed by OpenSSL (not by our code) with the
# fixed test key pair in ../keys. Run from this directory; the output is committed, so tests never need OpenSSL.
set -euo pipefail
key=../keys/app-private.pem
rsa() { printf '%s' "$1" | openssl dgst -sha256 -sign "$key" | base64 -w0; }
urlenc() { python3 -c 'import sys,urllib.parse;print(urllib.parse.quote_plus(sys.argv[1]),end="")' "$1"; }
hmac() { printf '%s' "$2" | openssl dgst -sha256 -hmac "$1" -binary | base64 -w0; }

rsa2='app_id=2021000000000001&biz_content={"out_trade_no":"T-1001"}&charset=utf-8&method=alipay.trade.query&sign_type=RSA2&timestamp=2026-11-22 12:00:00&version=1.0'
v3_auth='app_id=2021000000000001,nonce=3c8d6f5e-0b7a-4f1e-9b2d-7a6c5e4d3b2a,timestamp=1763800000000'
v3=$(printf '%s\nPOST\n/v3/alipay/trade/query?page=1\n{"out_trade_no":"T-1001"}\n202611BB-token\n' "$v3_auth")
antom='POST /ams/api/v1/payments/pay
SANDBOX_5Y3A2N2YEB3002022.1763800000000.{"paymentRequestId":"P-1001","paymentAmount":{"currency":"USD","value":"100"}}'
body_hash=$(printf '{}' | sha256sum | cut -d' ' -f1)
# keyfleet-hmac format v2 (RequestSignature.canonical): v2, method, path, query, tenant (none here), timestamp, nonce, body hash
hmac_canonical="v2
POST
/v1/keys
page=0

1763800000
n-1001
$body_hash"
{
  echo "# made by make-vectors.sh with OpenSSL $(openssl version | cut -d' ' -f2); do not edit"
  echo "alipay-rsa2.sign=$(rsa "$rsa2")"
  echo "alipay-v3.authorization=ALIPAY-SHA256withRSA $v3_auth,sign=$(rsa "$v3"$'\n')"
  echo "antom.signature=algorithm=RSA256,keyVersion=3,signature=$(urlenc "$(rsa "$antom")")"
  echo "keyfleet-hmac.signature=$(hmac kf-test-secret-key "$hmac_canonical")"
} > vectors.properties
echo "alipay-aes.ciphertext=$(printf '%s' 'hello alipay' | openssl enc -aes-128-cbc -K 00112233445566778899aabbccddeeff -iv 00000000000000000000000000000000 | base64 -w0)" >> vectors.properties
