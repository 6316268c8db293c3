using Azure.Core;
using Azure.Storage.Queues;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.Infrastructure.Queues;

/// <summary>
/// The storage queues of the service, named <c>{prefix}-{logical name}</c> (e.g. <c>tff-enrol-batch</c>) like the
/// function.json triggers. Messages are plain text, as the host reads them with <c>messageEncoding: none</c>.
/// </summary>
public sealed class QueueStorage
{
    public QueueStorage(StorageOptions options, TokenCredential credential)
    {
        var clientOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
        clientOptions.Retry.MaxRetries = options.MaxRetries;
        clientOptions.Retry.NetworkTimeout = options.NetworkTimeout;

        Service = string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new QueueServiceClient(options.QueueServiceUri, credential, clientOptions)
            : new QueueServiceClient(options.ConnectionString, clientOptions);
        Prefix = options.Prefix;
    }

    public QueueServiceClient Service { get; }

    public string Prefix { get; }

    public string QueueName(string logicalName) => $"{Prefix}-{logicalName}";

    public QueueClient Get(string logicalName) => Service.GetQueueClient(QueueName(logicalName));

    /// <summary>Where the Functions host (and the standalone listener) moves a message that failed too often.</summary>
    public QueueClient PoisonOf(string logicalName) => Service.GetQueueClient(QueueName(logicalName) + "-poison");
}
