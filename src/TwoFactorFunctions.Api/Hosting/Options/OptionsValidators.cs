using Microsoft.Extensions.Options;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Enrolment;
using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Infrastructure.Communication;
using TwoFactorFunctions.Infrastructure.Messaging;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.Api.Hosting.Options;

// The DataAnnotations on each options class, checked by validators the options source generator writes at build time
// (no reflection at start). Rules across settings, or that depend on the environment, are the *Rules classes beside.

[OptionsValidator]
public sealed partial class TwoFactorOptionsValidator : IValidateOptions<TwoFactorOptions>;

[OptionsValidator]
public sealed partial class MessagingOptionsValidator : IValidateOptions<MessagingOptions>;

[OptionsValidator]
public sealed partial class SmtpOptionsValidator : IValidateOptions<SmtpOptions>;

[OptionsValidator]
public sealed partial class FunctionKeyOptionsValidator : IValidateOptions<FunctionKeyOptions>;

[OptionsValidator]
public sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>;

[OptionsValidator]
public sealed partial class CleanupOptionsValidator : IValidateOptions<CleanupOptions>;

[OptionsValidator]
public sealed partial class EnrolmentOptionsValidator : IValidateOptions<EnrolmentOptions>;

[OptionsValidator]
public sealed partial class NoticeOptionsValidator : IValidateOptions<NoticeOptions>;

[OptionsValidator]
public sealed partial class AcsOptionsValidator : IValidateOptions<AcsOptions>;
