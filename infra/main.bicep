// TwoFactorFunctions on Azure: the .NET isolated worker function app (Durable Functions on the Azure Storage provider)
// on Flex Consumption, its storage (the app's tables, Durable's task hub, the deployment package; shared keys off),
// Azure Communication Services email, the code-hash secret in Key Vault, and one user-assigned identity holding every
// data-plane role the app needs. Deploy: see docs/hosting.md.
targetScope = 'resourceGroup'

@description('Region for the regional resources (Flex Consumption must be available there).')
param location string = resourceGroup().location

@description('Short lower-case name that starts every resource name.')
@minLength(2)
@maxLength(10)
param name string = 'tff'

@description('Base64 secret of at least 32 bytes keying the code hashes (openssl rand -base64 32). Kept only in Key Vault.')
@secure()
@minLength(44)
param codeHashSecret string

@description('Base64 key material of at least 32 bytes sealing authenticator (TOTP) secrets (openssl rand -base64 32). Kept only in Key Vault.')
@secure()
@minLength(44)
param totpEncryptionKey string

@description('Base64 SHA-256 of the function key the portal presents; the app checks it as well as the host.')
@minLength(44)
@maxLength(44)
param portalKeySha256 string

@description('Where platform security alerts (enrolment failures) are emailed; empty for none.')
param securityAlertAddress string = ''

@description('Passkey (WebAuthn) relying party ID: the host name of the portal users sign in on (or a registrable parent of it, such as example.com), never this API\'s host and never an IP address. Empty: passkeys are off (503 passkey_unavailable). Changing it later strands every registered passkey.')
@maxLength(253)
param passkeyRelyingPartyId string = ''

@description('The relying party name the browser\'s passkey dialog shows.')
@minLength(1)
param passkeyRelyingPartyName string = 'TwoFactorFunctions'

@description('The portal origins passkeys may be used from, such as https://portal.example.com (https, no path, no trailing slash). Needs passkeyRelyingPartyId. An origin outside the RP ID\'s domain also needs https://{passkeyRelyingPartyId}/.well-known/webauthn to list it (Related Origin Requests, see the README).')
param passkeyOrigins array = []

@description('Where Communication Services keeps its data at rest.')
@allowed([
  'Africa'
  'Asia Pacific'
  'Australia'
  'Brazil'
  'Canada'
  'Europe'
  'France'
  'Germany'
  'India'
  'Japan'
  'Korea'
  'Norway'
  'Switzerland'
  'UAE'
  'UK'
  'United States'
])
param communicationDataLocation string = 'Australia'

@description('NCRONTAB (with seconds) of the expired-data cleanup timer (CleanupExpired).')
param cleanupSchedule string = '0 */5 * * * *'

@description('Durable Functions task hub name: 3-45 letters and digits, starting with a letter. Apps sharing the storage account need different hubs.')
@minLength(3)
@maxLength(45)
param durableHubName string = 'TwoFactorFunctions'

@description('Flex Consumption scale-out ceiling.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

var suffix = uniqueString(resourceGroup().id, name)

// Passkey settings only when set: without a relying party the app runs with passkeys off, and the app refuses to start
// on origins without an RP ID or on non-https origins (TwoFactor:Passkeys is validated at start).
var passkeyRelyingPartySettings = empty(passkeyRelyingPartyId)
  ? []
  : [
      {
        name: 'TwoFactor__Passkeys__RelyingPartyId'
        value: passkeyRelyingPartyId
      }
      {
        name: 'TwoFactor__Passkeys__RelyingPartyName'
        value: passkeyRelyingPartyName
      }
    ]
var passkeyOriginSettings = [
  for (origin, i) in passkeyOrigins: {
    name: 'TwoFactor__Passkeys__Origins__${i}'
    value: origin
  }
]
var storageName = take('${name}st${suffix}', 24)
var deploymentContainer = 'app-package'

// Built-in role definition ids. Blob owner, queue and table contributor are what the host and Durable's Azure Storage
// provider need with an identity-based connection.
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  communicationAndEmailServiceOwner: '09976791-48a7-449e-bb21-39d1a415f350'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${name}-id-${suffix}'
  location: location
}

// ---- Storage: tables for the app; blobs, queues and tables for the host and Durable's task hub (which the Durable
// extension creates itself); the deployment package. No shared keys.
resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: storageName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: storage
  name: 'default'
}

resource packageContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobService
  name: deploymentContainer
  properties: {
    publicAccess: 'None'
  }
}

// The app creates its tables at start-up; the service only has to exist.
resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2024-01-01' = {
  parent: storage
  name: 'default'
}

// ---- Monitoring: Application Insights with local (key) auth off; the identity publishes telemetry.
resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${name}-log-${suffix}'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${name}-ai-${suffix}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

// ---- Key Vault: the code-hash secret, read by the app through a Key Vault reference with the identity.
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: take('${name}-kv-${suffix}', 24)
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource codeHashSecretEntry 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'CodeHashSecret'
  properties: {
    value: codeHashSecret
    contentType: 'base64'
  }
}

// Authenticator secrets must be read back, so they are encrypted (AES-GCM) rather than hashed; this is that key. To
// rotate: move the old value to TwoFactor__TotpPreviousEncryptionKeys__0 and set a new one here.
resource totpEncryptionKeyEntry 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'TotpEncryptionKey'
  properties: {
    value: totpEncryptionKey
    contentType: 'base64'
  }
}

// ---- Communication Services with an Azure-managed email domain.
resource emailService 'Microsoft.Communication/emailServices@2023-04-01' = {
  name: '${name}-email-${suffix}'
  location: 'global'
  properties: {
    dataLocation: communicationDataLocation
  }
}

resource emailDomain 'Microsoft.Communication/emailServices/domains@2023-04-01' = {
  parent: emailService
  name: 'AzureManagedDomain'
  location: 'global'
  properties: {
    domainManagement: 'AzureManaged'
    userEngagementTracking: 'Disabled'
  }
}

resource communication 'Microsoft.Communication/communicationServices@2023-04-01' = {
  name: '${name}-acs-${suffix}'
  location: 'global'
  properties: {
    dataLocation: communicationDataLocation
    linkedDomains: [
      emailDomain.id
    ]
  }
}

// ---- Role assignments of the identity, each on the narrowest scope.
resource blobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.storageBlobDataOwner)
  scope: storage
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
  }
}

resource queueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.storageQueueDataContributor)
  scope: storage
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
  }
}

resource tableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.storageTableDataContributor)
  scope: storage
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}

resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identity.id, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

// Sending email with an Entra token needs rights on the Communication Services resource; this built-in role is the
// narrowest one that grants them, and it is scoped to that one resource.
resource communicationSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(communication.id, identity.id, roles.communicationAndEmailServiceOwner)
  scope: communication
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.communicationAndEmailServiceOwner)
  }
}

// ---- The function app: Flex Consumption (Linux), .NET 10 isolated worker.
resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${name}-plan-${suffix}'
  location: location
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: '${name}-func-${suffix}'
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      // Flex Consumption takes the runtime from functionAppConfig: FUNCTIONS_WORKER_RUNTIME is not set here.
      appSettings: concat([
        // Identity-based host storage connection, also Durable's (its default connection) and the app's for its tables.
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'AzureWebJobsStorage__clientId'
          value: identity.properties.clientId
        }
        {
          name: 'AzureWebJobsStorage__blobServiceUri'
          value: storage.properties.primaryEndpoints.blob
        }
        {
          name: 'AzureWebJobsStorage__queueServiceUri'
          value: storage.properties.primaryEndpoints.queue
        }
        {
          name: 'AzureWebJobsStorage__tableServiceUri'
          value: storage.properties.primaryEndpoints.table
        }
        // DefaultAzureCredential in the app picks the user-assigned identity by this.
        {
          name: 'AZURE_CLIENT_ID'
          value: identity.properties.clientId
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsights.properties.ConnectionString
        }
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'ClientId=${identity.properties.clientId};Authorization=AAD'
        }
        // %CleanupSchedule% of the CleanupExpired timer trigger.
        {
          name: 'CleanupSchedule'
          value: cleanupSchedule
        }
        // The task hub: host.json reads it as %DurableHubName%, and the app (health check) reads the same setting.
        {
          name: 'DurableHubName'
          value: durableHubName
        }
        {
          name: 'Storage__Prefix'
          value: 'tff'
        }
        {
          name: 'TwoFactor__CodeHashSecret'
          value: '@Microsoft.KeyVault(SecretUri=${codeHashSecretEntry.properties.secretUri})'
        }
        {
          name: 'TwoFactor__TotpEncryptionKey'
          value: '@Microsoft.KeyVault(SecretUri=${totpEncryptionKeyEntry.properties.secretUri})'
        }
        {
          name: 'FunctionKeys__Keys__0__Name'
          value: 'portal'
        }
        {
          name: 'FunctionKeys__Keys__0__Sha256'
          value: portalKeySha256
        }
        {
          name: 'Messaging__SecurityAlertAddress'
          value: securityAlertAddress
        }
        // Email through Communication Services with the identity; no phone numbers are provisioned here, so SMS and
        // voice stay off until numbers are bought and the Acs:SmsFrom / Acs:CallerId settings added.
        {
          name: 'Messaging__EmailProvider'
          value: 'Acs'
        }
        {
          name: 'Messaging__PhoneProvider'
          value: 'None'
        }
        {
          name: 'Acs__Endpoint'
          value: 'https://${communication.properties.hostName}'
        }
        {
          name: 'Acs__EmailSender'
          value: 'DoNotReply@${emailDomain.properties.mailFromSenderDomain}'
        }
      ], passkeyRelyingPartySettings, passkeyOriginSettings)
    }
  }
  dependsOn: [
    blobOwner
    queueContributor
    tableContributor
    secretsUser
    metricsPublisher
    packageContainer
    tableService
  ]
}

// Deployments authenticate with Entra ID only.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'scm'
  properties: {
    allow: false
  }
}

resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

output functionAppName string = functionApp.name
output apiBaseUrl string = 'https://${functionApp.properties.defaultHostName}/api'
output storageAccountName string = storage.name
output communicationEndpoint string = 'https://${communication.properties.hostName}'
output emailSenderAddress string = 'DoNotReply@${emailDomain.properties.mailFromSenderDomain}'
output identityClientId string = identity.properties.clientId
