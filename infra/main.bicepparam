using 'main.bicep'

// Secrets come from the environment of whoever deploys, never from this file:
//   export TFF_CODE_HASH_SECRET="$(openssl rand -base64 32)"   (keep it: changing it voids pending codes)
//   export TFF_TOTP_ENCRYPTION_KEY="$(openssl rand -base64 32)"   (keep it: losing it voids every authenticator)
//   export TFF_PORTAL_KEY_SHA256="$(printf %s "$PORTAL_KEY" | sha256sum | xxd -r -p | base64)"
// Passkeys (optional; unset: off): the portal's host and its origins, comma-separated
//   export TFF_PASSKEY_RP_ID="portal.example.com"
//   export TFF_PASSKEY_ORIGINS="https://portal.example.com"
param name = 'tff'
param codeHashSecret = readEnvironmentVariable('TFF_CODE_HASH_SECRET')
param totpEncryptionKey = readEnvironmentVariable('TFF_TOTP_ENCRYPTION_KEY')
param portalKeySha256 = readEnvironmentVariable('TFF_PORTAL_KEY_SHA256')
param securityAlertAddress = readEnvironmentVariable('TFF_SECURITY_ALERT_ADDRESS', '')
param communicationDataLocation = 'Australia'
param cleanupSchedule = '0 */5 * * * *'
param durableHubName = 'TwoFactorFunctions'
param passkeyRelyingPartyId = readEnvironmentVariable('TFF_PASSKEY_RP_ID', '')
param passkeyRelyingPartyName = 'TwoFactorFunctions'
param passkeyOrigins = empty(readEnvironmentVariable('TFF_PASSKEY_ORIGINS', '')) ? [] : split(readEnvironmentVariable('TFF_PASSKEY_ORIGINS', ''), ',')
