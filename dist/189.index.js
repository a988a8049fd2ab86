"use strict";
exports.id = 189;
exports.ids = [189];
exports.modules = {

/***/ 4469:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Eh: () => (/* binding */ describeQueuePlatform),
/* harmony export */   S0: () => (/* binding */ deregisterJobDefinitionsTagged),
/* harmony export */   Xd: () => (/* binding */ SubmitError),
/* harmony export */   lF: () => (/* binding */ ensureJobDefinition),
/* harmony export */   oM: () => (/* binding */ FINISHED_STATUSES),
/* harmony export */   w7: () => (/* binding */ describeJobs),
/* harmony export */   wL: () => (/* binding */ terminateJobs),
/* harmony export */   xq: () => (/* binding */ submitJobs)
/* harmony export */ });
/* unused harmony exports DESCRIBE_JOBS_MAX_IDS, jobDefinitionDifferences, latestActiveRevision */
/* harmony import */ var _aws_sdk_client_batch__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8839);
/* harmony import */ var _inputs_table__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1926);
/* harmony import */ var _lib_errors__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7268);
/* harmony import */ var _plan_batch_platform__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5911);
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9378);
/**
 * AWS Batch effects: the platform of a job queue (read from the queue and its compute environments),
 * the stage's job definition (compare with the latest ACTIVE revision, register a new one only when
 * something changed), submitting the jobs of a run (every job up front, each depending on the job ids
 * submitted before it), describing them (at most 100 ids per call) and terminating them.
 */





// ---------------------------------------------------------------------------------------------
// The platform of a job queue.
/**
 * Where the jobs of `queue` (name or ARN) run: EC2 or Fargate, from the queue's type or its compute
 * environments (see src/plan/batch.ts `queuePlatform`). Throws, naming the `batch-job-queue` input, for a
 * queue that does not exist, and for one no job definition of the action can run on.
 */
async function describeQueuePlatform(client, queue) {
    const about = { call: 'batch:DescribeJobQueues', resource: `job queue ${queue}`, input: _inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .INPUT */ .bO.batchJobQueue };
    const { jobQueues } = await (0,_errors__WEBPACK_IMPORTED_MODULE_3__/* .awsCall */ .uF)(about, () => client.send(new _aws_sdk_client_batch__WEBPACK_IMPORTED_MODULE_4__/* .DescribeJobQueuesCommand */ .uEj({ jobQueues: [queue] })));
    const found = (jobQueues ?? []).find((q) => q.jobQueueName === queue || q.jobQueueArn === queue);
    if (!found) {
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`job queue ${queue} was not found in this account and region: check the "${_inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .INPUT */ .bO.batchJobQueue}" input ` +
            `(a queue name or ARN) and "${_inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .INPUT */ .bO.awsRegion}"`);
    }
    let environments = [];
    // Read even when the queue's type says the platform: their capacity (Fargate Spot) and instance types
    // say which architecture the jobs can run on.
    const names = (found.computeEnvironmentOrder ?? []).map((o) => o.computeEnvironment ?? '').filter(Boolean);
    if (names.length > 0) {
        const { computeEnvironments } = await (0,_errors__WEBPACK_IMPORTED_MODULE_3__/* .awsCall */ .uF)({ call: 'batch:DescribeComputeEnvironments', resource: `the compute environments of job queue ${queue}` }, () => client.send(new _aws_sdk_client_batch__WEBPACK_IMPORTED_MODULE_4__/* .DescribeComputeEnvironmentsCommand */ .qMK({ computeEnvironments: names })));
        environments = (computeEnvironments ?? []).map((e) => ({
            name: e.computeEnvironmentName ?? e.computeEnvironmentArn ?? '',
            type: e.type,
            resourcesType: e.computeResources?.type,
            orchestration: e.containerOrchestrationType,
            ...(e.computeResources?.instanceTypes ? { instanceTypes: [...e.computeResources.instanceTypes] } : {}),
        }));
    }
    const platform = (0,_plan_batch_platform__WEBPACK_IMPORTED_MODULE_2__/* .queuePlatform */ .$)(found.jobQueueName ?? queue, found.jobQueueType, environments);
    if ('problem' in platform)
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`input "${_inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .INPUT */ .bO.batchJobQueue}": ${platform.problem}`);
    return { ...platform, queue: { name: found.jobQueueName ?? queue, environments } };
}
/** AWS Batch: the most job ids one DescribeJobs call takes. */
const DESCRIBE_JOBS_MAX_IDS = 100;
function envRecord(list) {
    return Object.fromEntries((list ?? []).map((e) => [e.name ?? '', e.value ?? '']));
}
function sameJson(a, b) {
    return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
function canonical(value) {
    if (Array.isArray(value))
        return value.map(canonical);
    if (value && typeof value === 'object') {
        return Object.fromEntries(Object.keys(value)
            .filter((k) => value[k] !== undefined)
            .sort()
            .map((k) => [k, canonical(value[k])]));
    }
    return value;
}
/** The retry strategy as comparable data: actions in upper case (the API accepts either), no empty fields. */
function retryOf(strategy) {
    return {
        attempts: strategy?.attempts ?? 1,
        evaluateOnExit: (strategy?.evaluateOnExit ?? []).map((e) => ({
            action: String(e.action ?? '').toUpperCase(),
            onStatusReason: e.onStatusReason || undefined,
            onReason: e.onReason || undefined,
            onExitCode: e.onExitCode || undefined,
        })),
    };
}
/**
 * The runtime platform as comparable data, Batch's defaults filled in (X86_64, LINUX: "The default value
 * is X86_64", https://docs.aws.amazon.com/batch/latest/APIReference/API_RuntimePlatform.html): a revision
 * registered without one runs as one that says X86_64, so neither needs a new revision.
 */
function runtimePlatformOf(platform) {
    return {
        cpuArchitecture: platform?.cpuArchitecture || 'X86_64',
        operatingSystemFamily: platform?.operatingSystemFamily || 'LINUX',
    };
}
function resourcesOf(list) {
    return Object.fromEntries((list ?? []).map((r) => [String(r.type ?? ''), String(r.value ?? '')]));
}
/**
 * What the latest revision needs to match the spec (empty: nothing). Only the fields the action sets
 * are compared (AWS fills in others, such as empty volume lists), each as data, not as text.
 */
function jobDefinitionDifferences(current, spec) {
    const diffs = [];
    const container = current.containerProperties ?? {};
    if (current.type !== spec.type)
        diffs.push('type');
    if (!sameJson([...(current.platformCapabilities ?? ['EC2'])].sort(), [...spec.platformCapabilities].sort())) {
        diffs.push('platform');
    }
    if (container.image !== spec.containerProperties.image)
        diffs.push('image');
    if (!sameJson(container.command ?? [], spec.containerProperties.command))
        diffs.push('command');
    if ((container.jobRoleArn ?? '') !== spec.containerProperties.jobRoleArn)
        diffs.push('role');
    if ((container.executionRoleArn ?? '') !== (spec.containerProperties.executionRoleArn ?? '')) {
        diffs.push('execution role');
    }
    if ((container.networkConfiguration?.assignPublicIp ?? '') !==
        (spec.containerProperties.networkConfiguration?.assignPublicIp ?? '')) {
        diffs.push('network');
    }
    if ((container.fargatePlatformConfiguration?.platformVersion ?? '') !==
        (spec.containerProperties.fargatePlatformConfiguration?.platformVersion ?? '')) {
        diffs.push('platform version');
    }
    if (!sameJson(runtimePlatformOf(container.runtimePlatform), runtimePlatformOf(spec.containerProperties.runtimePlatform))) {
        diffs.push('architecture');
    }
    if (!sameJson(envRecord(container.environment), envRecord(spec.containerProperties.environment))) {
        diffs.push('environment');
    }
    if (!sameJson(resourcesOf(container.resourceRequirements), resourcesOf(spec.containerProperties.resourceRequirements))) {
        diffs.push('resources');
    }
    if (!sameJson(retryOf(current.retryStrategy), retryOf(spec.retryStrategy)))
        diffs.push('retry strategy');
    if ((current.timeout?.attemptDurationSeconds ?? 0) !== spec.timeout.attemptDurationSeconds)
        diffs.push('timeout');
    if (!sameJson(current.parameters ?? {}, spec.parameters))
        diffs.push('parameters');
    return diffs;
}
/** The ACTIVE revision with the highest number, or undefined when there is none. */
async function latestActiveRevision(client, name) {
    return (0,_errors__WEBPACK_IMPORTED_MODULE_3__/* .awsCall */ .uF)({ call: 'batch:DescribeJobDefinitions', resource: `job definition ${name}` }, async () => {
        let latest;
        for await (const page of (0,_aws_sdk_client_batch__WEBPACK_IMPORTED_MODULE_4__/* .paginateDescribeJobDefinitions */ .m$B)({ client }, { jobDefinitionName: name, status: 'ACTIVE' })) {
            for (const def of page.jobDefinitions ?? []) {
                if (def.jobDefinitionName !== name || def.status !== 'ACTIVE')
                    continue;
                if (!latest || (def.revision ?? 0) > (latest.revision ?? 0))
                    latest = def;
            }
        }
        return latest;
    });
}
function missingTags(current, wanted) {
    return Object.entries(wanted).some(([k, v]) => current?.[k] !== v);
}
/**
 * The stage's job definition for `spec`: the latest ACTIVE revision when it matches (its tags updated
 * if they differ), else a new revision. A redeploy with nothing changed makes no mutating call.
 */
async function ensureJobDefinition(client, spec) {
    const latest = await latestActiveRevision(client, spec.jobDefinitionName);
    const differences = latest ? jobDefinitionDifferences(latest, spec) : [];
    if (!latest || differences.length > 0) {
        const registered = await (0,_errors__WEBPACK_IMPORTED_MODULE_3__/* .awsCall */ .uF)({
            call: 'batch:RegisterJobDefinition',
            resource: `job definition ${spec.jobDefinitionName}`,
            input: [_inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .INPUT */ .bO.batchJobRoleArn, _inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .INPUT */ .bO.batchExecutionRoleArn, _inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .INPUT */ .bO.imageUri],
        }, () => client.send(new _aws_sdk_client_batch__WEBPACK_IMPORTED_MODULE_4__/* .RegisterJobDefinitionCommand */ .$8j({
            jobDefinitionName: spec.jobDefinitionName,
            type: spec.type,
            platformCapabilities: [...spec.platformCapabilities],
            parameters: { ...spec.parameters },
            containerProperties: {
                image: spec.containerProperties.image,
                command: [...spec.containerProperties.command],
                jobRoleArn: spec.containerProperties.jobRoleArn,
                ...(spec.containerProperties.executionRoleArn
                    ? { executionRoleArn: spec.containerProperties.executionRoleArn }
                    : {}),
                environment: spec.containerProperties.environment.map((e) => ({ ...e })),
                resourceRequirements: spec.containerProperties.resourceRequirements.map((r) => ({ ...r })),
                ...(spec.containerProperties.networkConfiguration
                    ? { networkConfiguration: { ...spec.containerProperties.networkConfiguration } }
                    : {}),
                ...(spec.containerProperties.fargatePlatformConfiguration
                    ? { fargatePlatformConfiguration: { ...spec.containerProperties.fargatePlatformConfiguration } }
                    : {}),
                ...(spec.containerProperties.runtimePlatform
                    ? { runtimePlatform: { ...spec.containerProperties.runtimePlatform } }
                    : {}),
            },
            retryStrategy: {
                attempts: spec.retryStrategy.attempts,
                evaluateOnExit: spec.retryStrategy.evaluateOnExit.map((e) => ({ ...e })),
            },
            timeout: { ...spec.timeout },
            tags: { ...spec.tags },
        })));
        return {
            arn: registered.jobDefinitionArn,
            revision: registered.revision ?? 0,
            change: latest ? 'updated' : 'created',
            differences,
        };
    }
    if (missingTags(latest.tags, spec.tags)) {
        await (0,_errors__WEBPACK_IMPORTED_MODULE_3__/* .awsCall */ .uF)({ call: 'batch:TagResource', resource: `job definition ${latest.jobDefinitionArn}` }, () => client.send(new _aws_sdk_client_batch__WEBPACK_IMPORTED_MODULE_4__/* .TagResourceCommand */ .eqU({ resourceArn: latest.jobDefinitionArn, tags: { ...spec.tags } })));
        differences.push('tags');
    }
    return {
        arn: latest.jobDefinitionArn,
        revision: latest.revision ?? 0,
        change: differences.length ? 'updated' : 'unchanged',
        differences,
    };
}
// ---------------------------------------------------------------------------------------------
// Jobs.
class SubmitError extends Error {
    submitted;
    terminated;
    constructor(message, 
    /** Ids of the jobs submitted before the failure (already terminated when `terminated`). */
    submitted, terminated) {
        super(message);
        this.submitted = submitted;
        this.terminated = terminated;
        this.name = 'SubmitError';
    }
}
/**
 * Submits the requests in order, each built from the ids of those before it (so `dependsOn` can name
 * them). When a submit fails, the jobs already submitted are terminated (nothing is left half-run) and
 * a {@link SubmitError} says which job failed and why.
 */
async function submitJobs(client, count, request, options) {
    const ids = [];
    for (let i = 0; i < count; i++) {
        let req;
        try {
            req = request(i, ids);
            const res = await client.send(new _aws_sdk_client_batch__WEBPACK_IMPORTED_MODULE_4__/* .SubmitJobCommand */ .JA({
                jobName: req.jobName,
                jobQueue: req.jobQueue,
                jobDefinition: req.jobDefinition,
                dependsOn: req.dependsOn.map((d) => ({ jobId: d.jobId })),
                ...(req.parameters ? { parameters: { ...req.parameters } } : {}),
                containerOverrides: {
                    resourceRequirements: req.containerOverrides.resourceRequirements.map((r) => ({ ...r })),
                    ...(req.containerOverrides.command ? { command: [...req.containerOverrides.command] } : {}),
                },
                timeout: { ...req.timeout },
                retryStrategy: {
                    attempts: req.retryStrategy.attempts,
                    evaluateOnExit: req.retryStrategy.evaluateOnExit.map((e) => ({ ...e })),
                },
                tags: { ...req.tags },
            }));
            ids.push(res.jobId);
        }
        catch (error) {
            const what = req ? `job ${req.jobName}` : `job ${i + 1}`;
            let terminated = false;
            if (ids.length > 0) {
                await terminateJobs(client, ids, options.terminateReason, options.warn);
                terminated = true;
            }
            // A request that could not even be built is not an AWS error.
            const said = req
                ? (0,_errors__WEBPACK_IMPORTED_MODULE_3__/* .awsError */ .es)(error, {
                    call: 'batch:SubmitJob',
                    resource: `job ${req.jobName} in queue ${req.jobQueue}`,
                    input: [_inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .INPUT */ .bO.batchJobQueue, _inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .INPUT */ .bO.jobDefinitionArn],
                }).message
                : error.message;
            throw new SubmitError(`${what} could not be submitted: ${said}`, ids, terminated);
        }
    }
    return ids;
}
/** The jobs of `ids` as Batch describes them, with one DescribeJobs call per 100 ids. Unknown ids are left out. */
async function describeJobs(client, ids) {
    const out = [];
    for (let i = 0; i < ids.length; i += DESCRIBE_JOBS_MAX_IDS) {
        const chunk = ids.slice(i, i + DESCRIBE_JOBS_MAX_IDS);
        const res = await (0,_errors__WEBPACK_IMPORTED_MODULE_3__/* .awsCall */ .uF)({ call: 'batch:DescribeJobs', resource: `job(s) ${listed(chunk)}` }, () => client.send(new _aws_sdk_client_batch__WEBPACK_IMPORTED_MODULE_4__/* .DescribeJobsCommand */ .jhT({ jobs: chunk })));
        const wanted = new Set(chunk);
        // An emulator may answer with more than was asked; keep what was asked.
        out.push(...(res.jobs ?? []).filter((j) => wanted.has(j.jobId ?? '')));
    }
    return out;
}
/** A few ids and how many more, for an error message. */
function listed(ids) {
    return ids.length <= 3 ? ids.join(', ') : `${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more`;
}
const FINISHED_STATUSES = new Set(['SUCCEEDED', 'FAILED']);
/**
 * Terminates the jobs of `ids` that have not finished (TerminateJob cancels a job that has not
 * started and stops one that has). Returns the ids it terminated; a job that cannot be terminated is
 * reported through `warn`, not thrown.
 */
async function terminateJobs(client, ids, reason, warn) {
    const unfinished = (await describeJobs(client, ids)).filter((j) => !FINISHED_STATUSES.has(j.status ?? ''));
    const done = [];
    for (const job of unfinished) {
        try {
            await (0,_errors__WEBPACK_IMPORTED_MODULE_3__/* .awsCall */ .uF)({ call: 'batch:TerminateJob', resource: `job ${job.jobName ?? ''} (${job.jobId})` }, () => client.send(new _aws_sdk_client_batch__WEBPACK_IMPORTED_MODULE_4__/* .TerminateJobCommand */ .asP({ jobId: job.jobId, reason: reason.slice(0, 1024) })));
            done.push(job.jobId);
        }
        catch (error) {
            warn(`could not terminate Batch job ${job.jobName ?? ''} (${job.jobId}): ${error.message}`);
        }
    }
    return done;
}
/** Deregisters every ACTIVE job definition revision that carries all of `ownerTags`; returns their ARNs. */
async function deregisterJobDefinitionsTagged(client, ownerTags) {
    const found = [];
    let nextToken;
    do {
        const page = await client.send(new _aws_sdk_client_batch__WEBPACK_IMPORTED_MODULE_4__/* .DescribeJobDefinitionsCommand */ .uGH({ status: 'ACTIVE', nextToken }));
        for (const def of page.jobDefinitions ?? []) {
            if (Object.entries(ownerTags).every(([k, v]) => def.tags?.[k] === v))
                found.push(def.jobDefinitionArn);
        }
        nextToken = page.nextToken;
    } while (nextToken);
    for (const arn of found)
        await client.send(new _aws_sdk_client_batch__WEBPACK_IMPORTED_MODULE_4__/* .DeregisterJobDefinitionCommand */ .AzC({ jobDefinition: arn }));
    return found;
}


/***/ }),

/***/ 201:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GD: () => (/* binding */ ecrClient),
/* harmony export */   Zv: () => (/* reexport safe */ _config__WEBPACK_IMPORTED_MODULE_0__.Zv),
/* harmony export */   hP: () => (/* binding */ createClients)
/* harmony export */ });
/* unused harmony exports s3Client, lambdaClient, sfnClient, batchClient */
/* harmony import */ var _aws_sdk_client_batch__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8839);
/* harmony import */ var _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(8249);
/* harmony import */ var _aws_sdk_client_lambda__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1696);
/* harmony import */ var _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3711);
/* harmony import */ var _aws_sdk_client_sfn__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8476);
/* harmony import */ var _config__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7589);
/**
 * The main step's AWS SDK clients, built in one place with the settings of config.ts. Every call made
 * through them is recorded (`callLog`).
 */







function s3Client(options) {
    // An emulator on loopback cannot answer virtual-hosted bucket names (bucket.127.0.0.1).
    return (0,_config__WEBPACK_IMPORTED_MODULE_0__/* .record */ .g1)('s3', new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_1__/* .S3Client */ .YxF({ ...(0,_config__WEBPACK_IMPORTED_MODULE_0__/* .clientConfig */ .yO)(options), forcePathStyle: Boolean(options.endpoint) || (0,_config__WEBPACK_IMPORTED_MODULE_0__/* .hasCustomEndpoint */ .rl)(options.env) }));
}
function lambdaClient(options) {
    return (0,_config__WEBPACK_IMPORTED_MODULE_0__/* .record */ .g1)('lambda', new _aws_sdk_client_lambda__WEBPACK_IMPORTED_MODULE_2__/* .LambdaClient */ .Nox((0,_config__WEBPACK_IMPORTED_MODULE_0__/* .clientConfig */ .yO)(options)));
}
function sfnClient(options) {
    return (0,_config__WEBPACK_IMPORTED_MODULE_0__/* .record */ .g1)('states', new _aws_sdk_client_sfn__WEBPACK_IMPORTED_MODULE_3__/* .SFNClient */ .ZIB((0,_config__WEBPACK_IMPORTED_MODULE_0__/* .clientConfig */ .yO)(options)));
}
function batchClient(options) {
    return (0,_config__WEBPACK_IMPORTED_MODULE_0__/* .record */ .g1)('batch', new _aws_sdk_client_batch__WEBPACK_IMPORTED_MODULE_4__/* .BatchClient */ .KaG((0,_config__WEBPACK_IMPORTED_MODULE_0__/* .clientConfig */ .yO)(options)));
}
function ecrClient(options) {
    return (0,_config__WEBPACK_IMPORTED_MODULE_0__/* .record */ .g1)('ecr', new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_5__/* .ECRClient */ .S70((0,_config__WEBPACK_IMPORTED_MODULE_0__/* .clientConfig */ .yO)(options)));
}
/** The clients a mode may use, created lazily so a mode pays only for what it calls. */
function createClients(options) {
    const cache = {};
    return {
        get s3() {
            return (cache.s3 ??= s3Client(options));
        },
        get lambda() {
            return (cache.lambda ??= lambdaClient(options));
        },
        get sfn() {
            return (cache.sfn ??= sfnClient(options));
        },
        get batch() {
            return (cache.batch ??= batchClient(options));
        },
        get ecr() {
            return (cache.ecr ??= ecrClient(options));
        },
    };
}


/***/ }),

/***/ 7589:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  _O: () => (/* binding */ USER_AGENT),
  yO: () => (/* binding */ clientConfig),
  rl: () => (/* binding */ hasCustomEndpoint),
  g1: () => (/* binding */ record),
  Zv: () => (/* binding */ resolveRegion)
});

// UNUSED EXPORTS: CONNECT_TIMEOUT_MS, SOCKET_TIMEOUT_MS, callLog, isReadOnly

;// CONCATENATED MODULE: ./package.json
const package_namespaceObject = {"rE":"0.1.0"};
// EXTERNAL MODULE: ./src/inputs/table.ts + 1 modules
var table = __webpack_require__(1926);
// EXTERNAL MODULE: ./src/lib/errors.ts
var errors = __webpack_require__(7268);
;// CONCATENATED MODULE: ./src/aws/config.ts



const USER_AGENT = ['kedro-aws-action', package_namespaceObject.rE];
/** A connection not open after this long has failed (a cut network, a wrong endpoint). */
const CONNECT_TIMEOUT_MS = 10_000;
/**
 * A request whose connection stays silent this long has failed, and is retried (the SDK's own default
 * is 15 minutes per attempt: a network that drops packets silently would hold a wait for hours before
 * it could go on through the outage). No call of the action streams or waits on the server side.
 */
const SOCKET_TIMEOUT_MS = 60_000;
function s3Target(input) {
    const { Bucket, Key, Prefix, VersionId } = (input ?? {});
    const key = typeof Key === 'string' ? Key : typeof Prefix === 'string' ? Prefix : undefined;
    return {
        ...(typeof Bucket === 'string' ? { bucket: Bucket } : {}),
        ...(key !== undefined ? { key } : {}),
        ...(typeof VersionId === 'string' ? { version: true } : {}),
    };
}
/** Calls made through clients of this module since the last reset (newest last). */
const callLog = [];
/** Operations that change nothing: Describe*, Get*, List* (and the login token). */
function isReadOnly(operation) {
    return /^(Describe|Get|List|Head|BatchGet)/.test(operation);
}
function record(service, client) {
    client.middlewareStack.add((next, context) => async (args) => {
        const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        callLog.push({ service, operation, ...(service === 's3' ? s3Target(args.input) : {}) });
        return next(args);
    }, { step: 'initialize', name: 'kedroAwsCallLog' });
    return client;
}
/** The constructor settings every client shares. */
function clientConfig(options) {
    return {
        region: options.region,
        credentials: options.credentials,
        maxAttempts: options.maxAttempts,
        retryMode: 'adaptive',
        requestHandler: {
            connectionTimeout: options.timeouts?.connectMs ?? CONNECT_TIMEOUT_MS,
            socketTimeout: options.timeouts?.socketMs ?? SOCKET_TIMEOUT_MS,
        },
        customUserAgent: [USER_AGENT],
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    };
}
/** True when requests go to an endpoint from the environment (an emulator), not AWS's own. */
function hasCustomEndpoint(env = process.env, service = 'S3') {
    return Boolean(env.AWS_ENDPOINT_URL || env[`AWS_ENDPOINT_URL_${service}`]);
}
/** The region from the input, else from the environment; an error naming the input when neither is set. */
function resolveRegion(input, env = process.env) {
    const region = input || env.AWS_REGION || env.AWS_DEFAULT_REGION;
    if (!region) {
        throw new errors/* ActionError */.l(`input "${table/* INPUT */.bO.awsRegion}" is not set and neither is AWS_REGION: give the region to deploy to, e.g. eu-west-1`);
    }
    return region;
}


/***/ }),

/***/ 8663:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E$: () => (/* binding */ tagImage),
/* harmony export */   GD: () => (/* reexport safe */ _clients__WEBPACK_IMPORTED_MODULE_4__.GD),
/* harmony export */   R6: () => (/* binding */ defaultRepositoryName),
/* harmony export */   US: () => (/* binding */ imageExists),
/* harmony export */   j8: () => (/* binding */ registryLogin),
/* harmony export */   z0: () => (/* binding */ ensureRepository)
/* harmony export */ });
/* unused harmony exports checkRepositoryName, imageTags */
/* harmony import */ var _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(8249);
/* harmony import */ var _inputs_table__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1926);
/* harmony import */ var _lib_errors__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7268);
/* harmony import */ var _lib_secrets__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5714);
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9378);
/* harmony import */ var _clients__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(201);
/**
 * ECR's control plane for `build`: the repository (created when missing, with scan on push), the
 * registry login (GetAuthorizationToken, the password masked in the log at once), whether an image
 * digest is already in the repository (DescribeImages), so a push of the same image is skipped, and the
 * tags of a pushed image (PutImage of its manifest with `imageTag`).
 *
 * The client is built like those of clients.ts (region, credentials, adaptive retries, user agent,
 * endpoint from AWS_ENDPOINT_URL) and its calls go in the same call log.
 */






/** ECR's rule for repository names. */
const REPOSITORY_RE = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
function checkRepositoryName(name) {
    if (name.length < 2 || name.length > 256 || !REPOSITORY_RE.test(name)) {
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`input "ecr-repository": "${name}" is not an ECR repository name (2 to 256 lowercase letters, digits and . _ - /, ` +
            'starting and ending with a letter or digit, e.g. kedro/spaceflights)');
    }
    return name;
}
/** A repository name from the project's name: `Space Flights` → `space-flights`. */
function defaultRepositoryName(project) {
    const cleaned = project
        .toLowerCase()
        .replace(/[^a-z0-9._/-]+/g, '-')
        .replace(/[._-]{2,}/g, '-')
        .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
    return cleaned.length >= 2 ? cleaned : `kedro-${cleaned || 'project'}`;
}
/** The repository, created when missing (scan on push, the stage's tags). */
async function ensureRepository(ecr, o) {
    const name = checkRepositoryName(o.name);
    const resource = `ECR repository ${name}`;
    try {
        const found = await ecr.send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_5__/* .DescribeRepositoriesCommand */ .pE_({ repositoryNames: [name] }));
        const repo = found.repositories?.[0];
        if (repo?.repositoryUri && repo.registryId)
            return toRepository(name, repo.repositoryUri, repo.registryId, false);
    }
    catch (error) {
        if (!(error instanceof _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_5__/* .RepositoryNotFoundException */ .Da2) && error.name !== 'RepositoryNotFoundException')
            throw (0,_errors__WEBPACK_IMPORTED_MODULE_3__/* .awsError */ .es)(error, { call: 'ecr:DescribeRepositories', resource, input: _inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .INPUT */ .bO.ecrRepository });
    }
    if (!o.create) {
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`the ECR repository "${name}" does not exist and input "create-repository" is false: create it, or set create-repository: true`);
    }
    const created = await (0,_errors__WEBPACK_IMPORTED_MODULE_3__/* .awsCall */ .uF)({ call: 'ecr:CreateRepository', resource, input: _inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .INPUT */ .bO.ecrRepository }, () => ecr.send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_5__/* .CreateRepositoryCommand */ .WTe({
        repositoryName: name,
        imageScanningConfiguration: { scanOnPush: true },
        tags: Object.entries(o.tags).map(([Key, Value]) => ({ Key, Value })),
    })));
    const repo = created.repository;
    if (!repo?.repositoryUri || !repo.registryId)
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`ECR created "${name}" but returned no repository URI`);
    return toRepository(name, repo.repositoryUri, repo.registryId, true);
}
function toRepository(name, uri, registryId, created) {
    const slash = uri.indexOf('/');
    return { name, uri, registry: slash > 0 ? uri.slice(0, slash) : uri, registryId, created };
}
/** GetAuthorizationToken: base64 of `AWS:<password>`. The token and password are masked before anything else. */
async function registryLogin(ecr, registryId) {
    const res = await (0,_errors__WEBPACK_IMPORTED_MODULE_3__/* .awsCall */ .uF)({ call: 'ecr:GetAuthorizationToken', resource: `the ECR registry ${registryId ?? 'of the account'}` }, () => ecr.send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_5__/* .GetAuthorizationTokenCommand */ .Eu6(registryId ? { registryIds: [registryId] } : {})));
    const data = res.authorizationData?.[0];
    if (!data?.authorizationToken)
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l('ECR GetAuthorizationToken returned no token');
    (0,_lib_secrets__WEBPACK_IMPORTED_MODULE_2__/* .registerSecret */ .cl)(data.authorizationToken);
    const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0)
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l('ECR GetAuthorizationToken returned a token that is not <user>:<password>');
    const password = decoded.slice(colon + 1);
    (0,_lib_secrets__WEBPACK_IMPORTED_MODULE_2__/* .registerSecret */ .cl)(password);
    return {
        username: decoded.slice(0, colon),
        password,
        proxyEndpoint: data.proxyEndpoint ?? '',
        expiresAt: data.expiresAt,
    };
}
/** True when the repository has an image with this digest. */
async function imageExists(ecr, repository, digest, registryId) {
    try {
        const res = await ecr.send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_5__/* .DescribeImagesCommand */ .ji5({
            repositoryName: repository,
            imageIds: [{ imageDigest: digest }],
            ...(registryId ? { registryId } : {}),
        }));
        return (res.imageDetails ?? []).some((d) => d.imageDigest === digest);
    }
    catch (error) {
        if (error instanceof _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_5__/* .ImageNotFoundException */ .CJH || error.name === 'ImageNotFoundException')
            return false;
        throw (0,_errors__WEBPACK_IMPORTED_MODULE_3__/* .awsError */ .es)(error, {
            call: 'ecr:DescribeImages',
            resource: `image ${digest} of ECR repository ${repository}`,
            input: _inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .INPUT */ .bO.ecrRepository,
        });
    }
}
/** The tags an image of the repository has (empty when it is not there). */
async function imageTags(ecr, repository, digest, registryId) {
    try {
        const res = await ecr.send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_5__/* .DescribeImagesCommand */ .ji5({
            repositoryName: repository,
            imageIds: [{ imageDigest: digest }],
            ...(registryId ? { registryId } : {}),
        }));
        return res.imageDetails?.[0]?.imageTags ?? [];
    }
    catch (error) {
        if (error instanceof _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_5__/* .ImageNotFoundException */ .CJH || error.name === 'ImageNotFoundException')
            return [];
        throw (0,_errors__WEBPACK_IMPORTED_MODULE_3__/* .awsError */ .es)(error, {
            call: 'ecr:DescribeImages',
            resource: `image ${digest} of ECR repository ${repository}`,
            input: _inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .INPUT */ .bO.ecrRepository,
        });
    }
}
/** Manifest media types `build` pushes (single-platform images: Lambda refuses an index). */
const MANIFEST_MEDIA_TYPES = [
    'application/vnd.docker.distribution.manifest.v2+json',
    'application/vnd.oci.image.manifest.v1+json',
];
/**
 * Points the tags at an image pushed by digest: PutImage of its manifest with `imageTag`, one call per tag
 * the image lacks. An immutable repository refuses a tag that exists (ImageTagAlreadyExistsException,
 * whatever image it is on: https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html):
 * the tag stays where it is and is reported in `kept`; the image is used by its digest anyway.
 */
async function tagImage(ecr, o) {
    const outcome = { set: [], already: [], kept: [] };
    if (o.tags.length === 0)
        return outcome;
    const resource = `image ${o.digest} of ECR repository ${o.repository}`;
    const registry = o.registryId ? { registryId: o.registryId } : {};
    const current = new Set(await imageTags(ecr, o.repository, o.digest, o.registryId));
    const missing = o.tags.filter((t) => !current.has(t));
    outcome.already.push(...o.tags.filter((t) => current.has(t)));
    if (missing.length === 0)
        return outcome;
    let manifest = o.manifest;
    if (!manifest) {
        const got = await (0,_errors__WEBPACK_IMPORTED_MODULE_3__/* .awsCall */ .uF)({ call: 'ecr:BatchGetImage', resource, input: _inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .INPUT */ .bO.ecrRepository }, () => ecr.send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_5__/* .BatchGetImageCommand */ .P8n({
            repositoryName: o.repository,
            imageIds: [{ imageDigest: o.digest }],
            acceptedMediaTypes: MANIFEST_MEDIA_TYPES,
            ...registry,
        })));
        const image = got.images?.[0];
        if (!image?.imageManifest) {
            const failure = got.failures?.[0];
            throw new _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`ECR has no manifest for ${resource}` +
                (failure ? ` (${failure.failureCode}: ${failure.failureReason})` : '') +
                "; it was pushed by digest just before, so check that the registry pushed to is this repository's");
        }
        manifest = {
            body: image.imageManifest,
            mediaType: image.imageManifestMediaType ?? JSON.parse(image.imageManifest).mediaType,
        };
    }
    for (const tag of missing) {
        try {
            await ecr.send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_5__/* .PutImageCommand */ .SUU({
                repositoryName: o.repository,
                imageManifest: manifest.body,
                imageManifestMediaType: manifest.mediaType,
                imageTag: tag,
                imageDigest: o.digest,
                ...registry,
            }));
            outcome.set.push(tag);
        }
        catch (error) {
            const name = error.name;
            if (name === 'ImageTagAlreadyExistsException')
                outcome.kept.push(tag);
            else if (name === 'ImageAlreadyExistsException')
                outcome.already.push(tag);
            else
                throw (0,_errors__WEBPACK_IMPORTED_MODULE_3__/* .awsError */ .es)(error, {
                    call: 'ecr:PutImage',
                    resource: `${resource} (tag ${tag})`,
                    input: _inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .INPUT */ .bO.ecrRepository,
                });
        }
    }
    return outcome;
}


/***/ }),

/***/ 9378:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   KD: () => (/* binding */ sdkErrorOf),
/* harmony export */   KI: () => (/* binding */ THROTTLING_ERRORS),
/* harmony export */   Sc: () => (/* binding */ isTransientAwsError),
/* harmony export */   UC: () => (/* binding */ awsErrorKind),
/* harmony export */   Z: () => (/* binding */ NETWORK_ERRORS),
/* harmony export */   es: () => (/* binding */ awsError),
/* harmony export */   t6: () => (/* binding */ dnsHint),
/* harmony export */   uF: () => (/* binding */ awsCall)
/* harmony export */ });
/* unused harmony exports awsErrorName, AwsCallError, iamActionOf */
/* harmony import */ var _inputs_table__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1926);
/* harmony import */ var _lib_errors__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7268);
/**
 * AWS errors as a user reads them. Every effect of src/aws/ turns what the SDK throws into an
 * {@link AwsCallError}: the call (`states:DescribeExecution`, as IAM names it), what it was about
 * (`execution arn:…`), what went wrong, and what to check, by class of error: the network, the endpoint
 * and the region (`aws-region`, AWS_ENDPOINT_URL); throttling (`max-retries`); a server error; refused
 * credentials (`role-to-assume`); an action the role may not call; a resource that does not exist (the
 * input that names it).
 *
 * The class also tells the waits which errors are worth waiting through (network, 5xx, throttling:
 * {@link isTransientAwsError}). No @actions/core here: the post step bundles this module.
 */


/** Service error names of throttling (the SDK retries them too, and so do the waits). */
const THROTTLING_ERRORS = new Set([
    'Throttling',
    'ThrottlingException',
    'ThrottledException',
    'RequestLimitExceeded',
    'RequestThrottled',
    'RequestThrottledException',
    'TooManyRequestsException',
    'PriorRequestNotComplete',
    'SlowDown',
]);
/** Node and SDK names of a connection that failed or went silent (ENOTFOUND is apart: {@link AwsErrorKind} `dns`). */
const NETWORK_ERRORS = new Set([
    'ECONNRESET',
    'ECONNREFUSED',
    'ECONNABORTED',
    'ETIMEDOUT',
    'EPIPE',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'ENETDOWN',
    'EAI_AGAIN',
    'TimeoutError',
    'RequestTimeout',
    'RequestTimeoutException',
]);
const CREDENTIALS_ERRORS = new Set([
    'ExpiredToken',
    'ExpiredTokenException',
    'InvalidClientTokenId',
    'UnrecognizedClientException',
    'InvalidSignatureException',
    'SignatureDoesNotMatch',
    'IncompleteSignature',
    'InvalidAccessKeyId',
    'InvalidToken',
    'MissingAuthenticationToken',
    'CredentialsProviderError',
]);
const ACCESS_ERRORS = new Set([
    'AccessDenied',
    'AccessDeniedException',
    'UnauthorizedOperation',
    'UnauthorizedException',
    'AuthorizationError',
    'Forbidden',
]);
const SERVER_ERRORS = new Set([
    'InternalError',
    'InternalFailure',
    'InternalServerError',
    'InternalServerException',
    'ServiceUnavailable',
    'ServiceUnavailableException',
    'ServiceException',
    'ServerException',
]);
function asSdk(error) {
    return typeof error === 'object' && error !== null ? error : { message: String(error) };
}
/**
 * The SDK's retry middleware wraps what is not an `Error` of its own realm (a Node error seen from
 * another VM context, as under jest) in `new Error("AWS SDK error wrapper for <error as text>")`,
 * which loses the error's code; Node puts the code in the message too (`connect ECONNREFUSED …`).
 */
const SDK_WRAPPER = /^AWS SDK error wrapper for (?:\w*Error: )?/;
/** A Node network code said in the message (`read ECONNRESET`, `getaddrinfo ENOTFOUND host`). */
function codeInMessage(message) {
    return /\b(E[A-Z_]{3,})\b/.exec(message)?.[1];
}
/** The error's name as AWS or Node gives it (`ThrottlingException`, `ECONNRESET`). */
function awsErrorName(error) {
    const err = asSdk(error);
    const name = err.name && err.name !== 'Error' ? err.name : undefined;
    return name ?? err.Code ?? err.code ?? 'Error';
}
/** What kind of failure this is (see {@link AwsErrorKind}); an {@link AwsCallError} keeps the kind of its cause. */
function awsErrorKind(error) {
    if (error instanceof AwsCallError)
        return error.kind;
    // Already said for a user (not an AWS error): nothing to read in its text.
    if (error instanceof _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l)
        return 'client';
    const err = asSdk(error);
    const name = awsErrorName(error);
    const message = err.message ?? '';
    const status = err.$metadata?.httpStatusCode;
    // A service's answer (it has a status) is never a network error, whatever its message says.
    const code = err.code ?? (status === undefined ? codeInMessage(message) : undefined) ?? '';
    if (code === 'ENOTFOUND' || name === 'ENOTFOUND' || /getaddrinfo ENOTFOUND/.test(message))
        return 'dns';
    if (NETWORK_ERRORS.has(name) || NETWORK_ERRORS.has(code) || /socket hang up/i.test(message))
        return 'network';
    if (THROTTLING_ERRORS.has(name) ||
        err.$retryable?.throttling ||
        status === 429 ||
        /^Rate exceeded|Throttl/i.test(message)) {
        return 'throttling';
    }
    if (CREDENTIALS_ERRORS.has(name))
        return 'credentials';
    if (ACCESS_ERRORS.has(name) || status === 403)
        return 'access';
    if (SERVER_ERRORS.has(name) || err.$fault === 'server' || (status !== undefined && status >= 500))
        return 'server';
    if (err.$retryable)
        return 'server';
    if (/NotFound|DoesNotExist|^NoSuch/.test(name) || status === 404)
        return 'not-found';
    return 'client';
}
/**
 * True for what a wait goes on through: network errors, throttling and server errors. A host that does
 * not resolve counts only once the same wait has had an answer (it resolved then, so DNS is down now);
 * before that it is a wrong region or endpoint, and waiting will not fix it.
 */
function isTransientAwsError(error, answeredBefore = false) {
    const kind = awsErrorKind(error);
    return kind === 'network' || kind === 'throttling' || kind === 'server' || (kind === 'dns' && answeredBefore);
}
/** An AWS call that failed, said so a user can act on it (the SDK's error is `sdkError`). */
class AwsCallError extends _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l {
    kind;
    about;
    sdkError;
    constructor(message, kind, about, sdkError) {
        super(message);
        this.kind = kind;
        this.about = about;
        this.sdkError = sdkError;
        this.name = 'AwsCallError';
    }
}
/** The IAM action a role needs for a call (S3's reads and writes are named apart from their API). */
function iamActionOf(call) {
    const s3 = {
        's3:HeadObject': 's3:GetObject',
        's3:ListObjectsV2': 's3:ListBucket',
        's3:DeleteObjects': 's3:DeleteObject',
    };
    return s3[call] ?? call;
}
const quoted = (names) => names.map((n) => `"${n}"`).join(' and ');
function inputsOf(about) {
    return about.input === undefined ? [] : typeof about.input === 'string' ? [about.input] : [...about.input];
}
/** The hosts of AWS endpoints: `<service>.<region>.<DNS suffix of a partition>`. */
const AWS_HOST_RE = new RegExp(`\\.([a-z]{2,4}(?:-[a-z]+)+-\\d+)\\.(?:${[...new Set(Object.values(_inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .AWS_PARTITIONS */ .yg).map((p) => p.dnsSuffix))]
    .map((suffix) => suffix.replace(/\./g, '\\.'))
    .join('|')})$`);
/** `states.xx-east-9.amazonaws.com` → `xx-east-9` (any partition's DNS suffix). */
function regionOfHost(host) {
    return AWS_HOST_RE.exec(host)?.[1];
}
/** What to check when a host does not resolve (getaddrinfo ENOTFOUND): the region, else the endpoint. */
function dnsHint(error, env = process.env) {
    const endpoint = env.AWS_ENDPOINT_URL;
    const host = asSdk(error).hostname ?? /ENOTFOUND (\S+)/.exec(asSdk(error).message ?? '')?.[1] ?? '';
    const region = regionOfHost(host);
    if (region) {
        return `The host ${host} does not exist: "${region}" is not a region where this service is (input "${_inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .INPUT */ .bO.awsRegion}", e.g. eu-west-1), or the runner cannot resolve names.`;
    }
    if (endpoint)
        return `The host of AWS_ENDPOINT_URL (${endpoint}) does not resolve: check it, and the runner's DNS.`;
    return `The host${host ? ` ${host}` : ''} does not resolve: check the region (input "${_inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .INPUT */ .bO.awsRegion}") and the runner's DNS.`;
}
function what(error, kind) {
    const err = asSdk(error);
    const name = awsErrorName(error);
    const message = (err.message ?? '').replace(SDK_WRAPPER, '').trim();
    const attempts = err.$metadata?.attempts ?? 0;
    const after = attempts > 1 ? ` (after ${attempts} attempts)` : '';
    if (kind === 'network' || kind === 'dns') {
        const code = err.code && !message.includes(err.code) ? ` (${err.code})` : '';
        return `${message || name}${code}${after}`;
    }
    const status = err.$metadata?.httpStatusCode;
    const http = kind === 'server' && status ? ` (HTTP ${status})` : '';
    if (!message || message === name)
        return `${name}${http}${after}`;
    return `${name}: ${message}${http}${after}`;
}
function hintFor(error, kind, about, env) {
    const endpoint = env.AWS_ENDPOINT_URL;
    const endpointNote = endpoint ? ` and the endpoint AWS_ENDPOINT_URL=${endpoint}` : '';
    const inputs = inputsOf(about);
    const checkInputs = inputs.length ? [`Check input ${quoted(inputs)}.`] : [];
    switch (kind) {
        case 'network':
            return [
                `AWS could not be reached from the runner: check the runner's network, the region (input "${_inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .INPUT */ .bO.awsRegion}")${endpointNote}.`,
            ];
        case 'dns':
            return [dnsHint(error, env)];
        case 'throttling':
            return [
                `AWS throttled the call: the calls of one account and region share a rate. Raise input "${_inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .INPUT */ .bO.maxRetries}" (the SDK's retries of a throttled call), or run fewer runs at once.`,
            ];
        case 'server':
            return [
                'AWS answered with a server error; these are usually short-lived: re-run the job, and look at the AWS Health Dashboard if it lasts.',
            ];
        case 'credentials':
            return [
                `The AWS credentials were refused: with input "${_inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .INPUT */ .bO.roleToAssume}", check the role and that the job has "permissions: id-token: write"; without it, check the runner's AWS credentials.`,
            ];
        case 'access':
            return [
                `The credentials may not call ${iamActionOf(about.call)} on it (or the action the message names): allow it in the policy of the role (input "${_inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .INPUT */ .bO.roleToAssume}"; README "IAM permissions by mode").`,
                ...checkInputs,
            ];
        case 'not-found': {
            const bucket = error.BucketName;
            if (awsErrorName(error) === 'NoSuchBucket') {
                return [`The bucket${bucket ? ` ${bucket}` : ''} does not exist (or is not this account's).`, ...checkInputs];
            }
            return [`${capitalised(about.resource)} does not exist (or not in this account and region).`, ...checkInputs];
        }
        default:
            return checkInputs;
    }
}
function capitalised(text) {
    return text ? text[0].toUpperCase() + text.slice(1) : text;
}
/**
 * The error of a failed call as an {@link AwsCallError} naming the call, the resource and what to
 * check. An ActionError (already said for a user) is returned as it is.
 */
function awsError(error, about, env = process.env) {
    if (error instanceof _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l)
        return error;
    const kind = awsErrorKind(error);
    const lines = [
        `${about.call} on ${about.resource} failed: ${what(error, kind)}`,
        ...hintFor(error, kind, about, env),
        ...(about.hint ? [about.hint] : []),
    ];
    return new AwsCallError(lines.join('\n'), kind, about, error);
}
/** Runs one AWS call; what it throws comes out as {@link awsError}. */
async function awsCall(about, send) {
    try {
        return await send();
    }
    catch (error) {
        throw awsError(error, about);
    }
}
/** The SDK's error behind `error` (itself when it is not an {@link AwsCallError}). */
function sdkErrorOf(error) {
    return error instanceof AwsCallError ? error.sdkError : error;
}


/***/ }),

/***/ 5974:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   fq: () => (/* binding */ ensureFunction),
/* harmony export */   nM: () => (/* binding */ removeStaleFunctions),
/* harmony export */   s0: () => (/* binding */ ensureFunctionsActive)
/* harmony export */ });
/* unused harmony exports REACTIVATE_EVENT, ensureFunctionActive, configDifferences */
/* harmony import */ var _aws_sdk_client_lambda__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1696);
/* harmony import */ var _inputs_table__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1926);
/* harmony import */ var _lib_errors__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7268);
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9378);
/**
 * Lambda functions of a stage: create or update one function per group from the image (with the image's
 * architecture), comparing before writing (a redeploy with nothing changed makes no mutating call), and remove the functions
 * of groups that no longer exist (only ours: tagged with the project and stage).
 *
 * Readiness. A function can be invoked only while its `State` is `Active`
 * (https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html): `Pending` after a create,
 * `Inactive` once it has been idle long enough for Lambda to reclaim its resources (a pull-request
 * stage left for weeks), `Failed` when its resources could not be made. An update in progress
 * (`LastUpdateStatus: InProgress`) refuses another update. AWS's documented way back from `Inactive`
 * is an invocation: it fails, and Lambda sets the function `Pending` until its resources are
 * recreated, then `Active`. {@link ensureFunctionActive} does that and waits with the SDK's waiter,
 * on deploy (even when nothing changed) and before a run starts.
 */




/** Longest a function may take to become Active or finish an update. */
const WAIT_SECONDS = 300;
/** Longest an Inactive function may take to be Active again (Lambda recreates its resources: the image too). */
const REACTIVATE_WAIT_SECONDS = 900;
/**
 * The event of the invocation that wakes an Inactive function. On an Inactive function the invocation
 * fails before any code runs (that failure is what starts the reactivation); the handler sees it only
 * if the function became Active meanwhile, and refuses it as an invalid event without running a group.
 */
const REACTIVATE_EVENT = { kedro_aws_action: 'reactivate' };
function stateOf(config) {
    const reason = [config.StateReasonCode, config.StateReason].filter(Boolean).join(': ');
    return `${config.State ?? 'UNKNOWN'}${reason ? ` (${reason})` : ''}`;
}
/**
 * Makes sure function `name` can be invoked: an `Inactive` function is invoked once to reactivate it
 * (the documented way; the invocation is expected to fail) and waited for until `Active`; a
 * `Pending` one, or one whose update is `InProgress`, is waited for. `config` is the function's
 * configuration when the caller has just read it (GetFunction, not ListFunctions: only GetFunction
 * returns `State`). Throws, naming the function, its state and Lambda's reason, when the function is
 * `Failed`, its last update failed, or it does not come back.
 */
async function ensureFunctionActive(client, name, config, options = {}) {
    const fn = `Lambda function ${name}`;
    const delays = { minDelay: options.minDelaySeconds ?? 1, maxDelay: 30 };
    const read = async () => (await (0,_errors__WEBPACK_IMPORTED_MODULE_2__/* .awsCall */ .uF)({ call: 'lambda:GetFunction', resource: fn }, () => client.send(new _aws_sdk_client_lambda__WEBPACK_IMPORTED_MODULE_3__/* .GetFunctionCommand */ .YF5({ FunctionName: name })))).Configuration ?? {};
    let current = config ?? (await read());
    let readiness = 'active';
    if (current.State === 'Failed') {
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`${fn} is ${stateOf(current)}: Lambda could not create its resources, so it cannot be invoked. ` +
            'Fix the cause Lambda gives, delete the function and deploy again (mode "deploy").');
    }
    if (current.State === 'Inactive') {
        // The documented way back: an invocation, which fails while Lambda recreates the resources.
        try {
            await client.send(new _aws_sdk_client_lambda__WEBPACK_IMPORTED_MODULE_3__/* .InvokeCommand */ .mdN({
                FunctionName: name,
                InvocationType: 'RequestResponse',
                Payload: new TextEncoder().encode(JSON.stringify(REACTIVATE_EVENT)),
            }));
        }
        catch (error) {
            // Expected: an Inactive function refuses the invocation; the state tells what happens next. Not so
            // when the invocation was not even allowed: then nothing would wake the function.
            if (['access', 'credentials', 'not-found'].includes((0,_errors__WEBPACK_IMPORTED_MODULE_2__/* .awsErrorKind */ .UC)(error))) {
                throw (0,_errors__WEBPACK_IMPORTED_MODULE_2__/* .awsError */ .es)(error, {
                    call: 'lambda:InvokeFunction',
                    resource: `${fn} (to reactivate it: it is ${stateOf(current)})`,
                });
            }
        }
        const seconds = options.reactivateWaitSeconds ?? REACTIVATE_WAIT_SECONDS;
        try {
            await (0,_aws_sdk_client_lambda__WEBPACK_IMPORTED_MODULE_3__/* .waitUntilFunctionActiveV2 */ ._RC)({ client, maxWaitTime: seconds, ...delays }, { FunctionName: name });
        }
        catch {
            const now = await read().catch(() => current);
            throw new _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`${fn} was Inactive and did not become Active after an invocation to reactivate it (waited ${seconds} s; ` +
                `now ${stateOf(now)}). Lambda could not recreate its resources: fix the cause it gives and deploy ` +
                'again (mode "deploy"), which updates the function.');
        }
        readiness = 'reactivated';
        current = await read();
    }
    else if (current.State === 'Pending') {
        await (0,_errors__WEBPACK_IMPORTED_MODULE_2__/* .awsCall */ .uF)({ call: 'lambda:GetFunction', resource: `${fn} (waiting until it is Active)` }, () => (0,_aws_sdk_client_lambda__WEBPACK_IMPORTED_MODULE_3__/* .waitUntilFunctionActiveV2 */ ._RC)({ client, maxWaitTime: options.waitSeconds ?? WAIT_SECONDS, ...delays }, { FunctionName: name }));
        readiness = 'waited';
        current = await read();
    }
    if (current.LastUpdateStatus === 'InProgress') {
        await (0,_errors__WEBPACK_IMPORTED_MODULE_2__/* .awsCall */ .uF)({ call: 'lambda:GetFunction', resource: `${fn} (waiting until its update is done)` }, () => (0,_aws_sdk_client_lambda__WEBPACK_IMPORTED_MODULE_3__/* .waitUntilFunctionUpdatedV2 */ .rWV)({ client, maxWaitTime: options.waitSeconds ?? WAIT_SECONDS, ...delays }, { FunctionName: name }));
        if (readiness === 'active')
            readiness = 'waited';
    }
    else if (current.LastUpdateStatus === 'Failed' && options.failedUpdate !== 'ignore') {
        const reason = [current.LastUpdateStatusReasonCode, current.LastUpdateStatusReason].filter(Boolean).join(': ');
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`${fn}: its last update failed${reason ? ` (${reason})` : ''}, so it still runs its previous code and ` +
            'configuration. Fix the cause and deploy again (mode "deploy").');
    }
    return readiness;
}
function sameRecord(a, b) {
    const left = a ?? {};
    const keys = new Set([...Object.keys(left), ...Object.keys(b)]);
    for (const k of keys)
        if (left[k] !== b[k])
            return false;
    return true;
}
/** What a function's configuration needs to match the spec (empty: nothing). */
function configDifferences(config, imageUri, spec) {
    const diffs = [];
    if (imageUri !== spec.imageUri)
        diffs.push('image');
    // A function without Architectures is x86_64 (Lambda's default).
    if ((config.Architectures?.[0] ?? 'x86_64') !== spec.architecture)
        diffs.push('architecture');
    if (config.MemorySize !== spec.memoryMb)
        diffs.push('memory');
    if (config.Timeout !== spec.timeoutSeconds)
        diffs.push('timeout');
    if (config.Role !== spec.roleArn)
        diffs.push('role');
    if ((config.Description ?? '') !== spec.description)
        diffs.push('description');
    if (!sameRecord(config.Environment?.Variables, spec.environment))
        diffs.push('environment');
    return diffs;
}
async function ensureFunction(client, spec) {
    const waiter = { client, maxWaitTime: WAIT_SECONDS };
    const fn = `Lambda function ${spec.name}`;
    // Either input can be what Lambda refuses: the role it cannot assume, or the image it cannot pull.
    const inputs = [_inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .INPUT */ .bO.lambdaRoleArn, _inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .INPUT */ .bO.imageUri];
    let existing;
    try {
        existing = await client.send(new _aws_sdk_client_lambda__WEBPACK_IMPORTED_MODULE_3__/* .GetFunctionCommand */ .YF5({ FunctionName: spec.name }));
    }
    catch (e) {
        if (!(e instanceof _aws_sdk_client_lambda__WEBPACK_IMPORTED_MODULE_3__/* .ResourceNotFoundException */ .lBX))
            throw (0,_errors__WEBPACK_IMPORTED_MODULE_2__/* .awsError */ .es)(e, { call: 'lambda:GetFunction', resource: fn });
    }
    if (!existing?.Configuration) {
        const created = await (0,_errors__WEBPACK_IMPORTED_MODULE_2__/* .awsCall */ .uF)({ call: 'lambda:CreateFunction', resource: fn, input: inputs }, () => client.send(new _aws_sdk_client_lambda__WEBPACK_IMPORTED_MODULE_3__/* .CreateFunctionCommand */ .Y8X({
            FunctionName: spec.name,
            PackageType: 'Image',
            Code: { ImageUri: spec.imageUri },
            Architectures: [spec.architecture],
            Role: spec.roleArn,
            MemorySize: spec.memoryMb,
            Timeout: spec.timeoutSeconds,
            Description: spec.description,
            Environment: { Variables: spec.environment },
            Tags: spec.tags,
        })));
        await (0,_errors__WEBPACK_IMPORTED_MODULE_2__/* .awsCall */ .uF)({ call: 'lambda:GetFunction', resource: `${fn} (waiting until it is Active)`, input: inputs }, () => (0,_aws_sdk_client_lambda__WEBPACK_IMPORTED_MODULE_3__/* .waitUntilFunctionActiveV2 */ ._RC)(waiter, { FunctionName: spec.name }));
        return { name: spec.name, arn: created.FunctionArn, change: 'created', differences: [], readiness: 'waited' };
    }
    const config = existing.Configuration;
    if (config.PackageType !== 'Image') {
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`Lambda function ${spec.name} exists as a ${config.PackageType ?? 'Zip'} package; a function cannot switch ` +
            'to a container image. Delete it (or change the stage) and deploy again.');
    }
    // Idle for weeks (Inactive), still being created (Pending) or updated: ready first, whatever changes.
    const readiness = await ensureFunctionActive(client, spec.name, config, { failedUpdate: 'ignore' });
    const diffs = configDifferences(config, existing.Code?.ImageUri, spec);
    // The last update failed (the function still runs its previous code and configuration): do it again.
    if (config.LastUpdateStatus === 'Failed') {
        if (!diffs.includes('image'))
            diffs.push('image');
        diffs.push('the last update, which failed');
    }
    const updating = { call: 'lambda:GetFunction', resource: `${fn} (waiting until its update is done)`, input: inputs };
    // The architecture goes with the code (UpdateFunctionCode), not with the configuration.
    if (diffs.includes('image') || diffs.includes('architecture')) {
        await (0,_errors__WEBPACK_IMPORTED_MODULE_2__/* .awsCall */ .uF)({ call: 'lambda:UpdateFunctionCode', resource: fn, input: _inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .INPUT */ .bO.imageUri }, () => client.send(new _aws_sdk_client_lambda__WEBPACK_IMPORTED_MODULE_3__/* .UpdateFunctionCodeCommand */ .KfB({
            FunctionName: spec.name,
            ImageUri: spec.imageUri,
            Architectures: [spec.architecture],
        })));
        await (0,_errors__WEBPACK_IMPORTED_MODULE_2__/* .awsCall */ .uF)(updating, () => (0,_aws_sdk_client_lambda__WEBPACK_IMPORTED_MODULE_3__/* .waitUntilFunctionUpdatedV2 */ .rWV)(waiter, { FunctionName: spec.name }));
    }
    if (diffs.some((d) => d !== 'image' && d !== 'architecture')) {
        await (0,_errors__WEBPACK_IMPORTED_MODULE_2__/* .awsCall */ .uF)({ call: 'lambda:UpdateFunctionConfiguration', resource: fn, input: _inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .INPUT */ .bO.lambdaRoleArn }, () => client.send(new _aws_sdk_client_lambda__WEBPACK_IMPORTED_MODULE_3__/* .UpdateFunctionConfigurationCommand */ .Zlw({
            FunctionName: spec.name,
            Role: spec.roleArn,
            MemorySize: spec.memoryMb,
            Timeout: spec.timeoutSeconds,
            Description: spec.description,
            Environment: { Variables: spec.environment },
        })));
        await (0,_errors__WEBPACK_IMPORTED_MODULE_2__/* .awsCall */ .uF)(updating, () => (0,_aws_sdk_client_lambda__WEBPACK_IMPORTED_MODULE_3__/* .waitUntilFunctionUpdatedV2 */ .rWV)(waiter, { FunctionName: spec.name }));
    }
    if (!sameRecord(pick(existing.Tags, Object.keys(spec.tags)), spec.tags)) {
        await (0,_errors__WEBPACK_IMPORTED_MODULE_2__/* .awsCall */ .uF)({ call: 'lambda:TagResource', resource: fn }, () => client.send(new _aws_sdk_client_lambda__WEBPACK_IMPORTED_MODULE_3__/* .TagResourceCommand */ .eqU({ Resource: config.FunctionArn, Tags: spec.tags })));
        diffs.push('tags');
    }
    return {
        name: spec.name,
        arn: config.FunctionArn,
        change: diffs.length ? 'updated' : 'unchanged',
        differences: diffs,
        readiness,
    };
}
/**
 * Before a run: every function of `names` invokable (see {@link ensureFunctionActive}), read a few at a
 * time. Returns the functions that had to be reactivated or waited for.
 */
async function ensureFunctionsActive(client, names, options = {}) {
    const out = [];
    const queue = [...names];
    const worker = async () => {
        for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
            const readiness = await ensureFunctionActive(client, name, undefined, options);
            if (readiness !== 'active')
                out.push({ name, readiness });
        }
    };
    await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, names.length) }, worker));
    return out.sort((a, b) => a.name.localeCompare(b.name));
}
/** GetFunction calls in flight at once before a run. */
const READ_CONCURRENCY = 8;
function pick(record, keys) {
    const out = {};
    for (const k of keys)
        if (record?.[k] !== undefined)
            out[k] = record[k];
    return out;
}
/**
 * Deletes functions that carry every one of `ownerTags` (this project and stage) but are not in `keep`.
 * With `namePrefix`, only functions whose names start with it are looked at (their tags are read one by
 * one); without, every function of the account and region is (teardown: names that were cut and hashed
 * to fit Lambda's limit are found by their tags).
 */
async function removeStaleFunctions(client, options) {
    const removed = [];
    const listed = await (0,_errors__WEBPACK_IMPORTED_MODULE_2__/* .awsCall */ .uF)({
        call: 'lambda:ListFunctions',
        resource: options.namePrefix ? `the Lambda functions named ${options.namePrefix}*` : 'the Lambda functions',
    }, async () => {
        const all = [];
        for await (const page of (0,_aws_sdk_client_lambda__WEBPACK_IMPORTED_MODULE_3__/* .paginateListFunctions */ .fVs)({ client }, {}))
            all.push(...(page.Functions ?? []));
        return all;
    });
    for (const fn of listed) {
        const name = fn.FunctionName;
        if (options.keep.has(name) || !name.startsWith(options.namePrefix ?? ''))
            continue;
        const resource = `Lambda function ${name}`;
        const { Tags } = await (0,_errors__WEBPACK_IMPORTED_MODULE_2__/* .awsCall */ .uF)({ call: 'lambda:ListTags', resource }, () => client.send(new _aws_sdk_client_lambda__WEBPACK_IMPORTED_MODULE_3__/* .ListTagsCommand */ .bvr({ Resource: fn.FunctionArn })));
        if (!sameRecord(pick(Tags, Object.keys(options.ownerTags)), options.ownerTags))
            continue;
        await (0,_errors__WEBPACK_IMPORTED_MODULE_2__/* .awsCall */ .uF)({ call: 'lambda:DeleteFunction', resource }, () => client.send(new _aws_sdk_client_lambda__WEBPACK_IMPORTED_MODULE_3__/* .DeleteFunctionCommand */ .Z3K({ FunctionName: name })));
        removed.push(name);
    }
    return removed;
}


/***/ }),

/***/ 7738:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   FP: () => (/* binding */ startExecution),
/* harmony export */   PX: () => (/* binding */ deleteStateMachinesTagged),
/* harmony export */   Sj: () => (/* binding */ newHistoryEvents),
/* harmony export */   V4: () => (/* binding */ stopExecution),
/* harmony export */   b5: () => (/* binding */ ensureStateMachine),
/* harmony export */   ki: () => (/* binding */ describeExecution)
/* harmony export */ });
/* unused harmony exports sameDefinition, executionArnFor, deleteOwnedStateMachine */
/* harmony import */ var _aws_sdk_client_sfn__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8476);
/* harmony import */ var _inputs_table__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1926);
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9378);
/**
 * Step Functions effects: the state machine of a stage (create or update, compare before writing,
 * publish a version), executions (start, describe, stop) and the execution history, read newest
 * first and only as far back as the last event already seen.
 */



async function findStateMachineArn(client, name) {
    return (0,_errors__WEBPACK_IMPORTED_MODULE_1__/* .awsCall */ .uF)({ call: 'states:ListStateMachines', resource: `state machine ${name}` }, async () => {
        for await (const page of (0,_aws_sdk_client_sfn__WEBPACK_IMPORTED_MODULE_2__/* .paginateListStateMachines */ .tfX)({ client }, {})) {
            const match = page.stateMachines?.find((sm) => sm.name === name);
            if (match)
                return match.stateMachineArn;
        }
        return undefined;
    });
}
/** Two definitions are the same when they parse to the same JSON (whitespace and key order aside). */
function sameDefinition(a, b) {
    const canonical = (text) => JSON.stringify(sortKeys(JSON.parse(text)));
    try {
        return canonical(a) === canonical(b);
    }
    catch {
        return false;
    }
}
function sortKeys(value) {
    if (Array.isArray(value))
        return value.map(sortKeys);
    if (value && typeof value === 'object') {
        return Object.fromEntries(Object.keys(value)
            .sort()
            .map((k) => [k, sortKeys(value[k])]));
    }
    return value;
}
async function ensureStateMachine(client, spec) {
    const tagList = Object.entries(spec.tags).map(([key, value]) => ({ key, value }));
    const arn = await findStateMachineArn(client, spec.name);
    const machine = `state machine ${spec.name}`;
    if (!arn) {
        const created = await (0,_errors__WEBPACK_IMPORTED_MODULE_1__/* .awsCall */ .uF)({ call: 'states:CreateStateMachine', resource: machine, input: _inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .INPUT */ .bO.sfnRoleArn }, () => client.send(new _aws_sdk_client_sfn__WEBPACK_IMPORTED_MODULE_2__/* .CreateStateMachineCommand */ .OMl({
            name: spec.name,
            definition: spec.definition,
            roleArn: spec.roleArn,
            type: 'STANDARD',
            tags: tagList,
            publish: true,
            versionDescription: spec.versionDescription,
        })));
        return {
            arn: created.stateMachineArn,
            versionArn: created.stateMachineVersionArn,
            change: 'created',
            differences: [],
        };
    }
    const current = await (0,_errors__WEBPACK_IMPORTED_MODULE_1__/* .awsCall */ .uF)({ call: 'states:DescribeStateMachine', resource: machine }, () => client.send(new _aws_sdk_client_sfn__WEBPACK_IMPORTED_MODULE_2__/* .DescribeStateMachineCommand */ .LyQ({ stateMachineArn: arn })));
    const differences = [];
    if (!sameDefinition(current.definition ?? '', spec.definition))
        differences.push('definition');
    if (current.roleArn !== spec.roleArn)
        differences.push('role');
    let versionArn;
    let versionError;
    if (differences.length > 0) {
        const updated = await (0,_errors__WEBPACK_IMPORTED_MODULE_1__/* .awsCall */ .uF)({ call: 'states:UpdateStateMachine', resource: machine, input: _inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .INPUT */ .bO.sfnRoleArn }, () => client.send(new _aws_sdk_client_sfn__WEBPACK_IMPORTED_MODULE_2__/* .UpdateStateMachineCommand */ .RnG({
            stateMachineArn: arn,
            definition: spec.definition,
            roleArn: spec.roleArn,
            publish: true,
            versionDescription: spec.versionDescription,
        })));
        versionArn = updated.stateMachineVersionArn;
    }
    else {
        ({ versionArn, versionError } = await latestVersionArn(client, arn));
    }
    const { tags } = await (0,_errors__WEBPACK_IMPORTED_MODULE_1__/* .awsCall */ .uF)({ call: 'states:ListTagsForResource', resource: machine }, () => client.send(new _aws_sdk_client_sfn__WEBPACK_IMPORTED_MODULE_2__/* .ListTagsForResourceCommand */ .a_e({ resourceArn: arn })));
    const currentTags = Object.fromEntries((tags ?? []).map((t) => [t.key, t.value]));
    if (tagList.some(({ key, value }) => currentTags[key] !== value)) {
        await (0,_errors__WEBPACK_IMPORTED_MODULE_1__/* .awsCall */ .uF)({ call: 'states:TagResource', resource: machine }, () => client.send(new _aws_sdk_client_sfn__WEBPACK_IMPORTED_MODULE_2__/* .TagResourceCommand */ .eqU({ resourceArn: arn, tags: tagList })));
        differences.push('tags');
    }
    return {
        arn,
        versionArn,
        change: differences.length ? 'updated' : 'unchanged',
        differences,
        ...(versionError ? { versionError } : {}),
    };
}
/**
 * The newest published version, or undefined when it cannot be listed (an emulator without the call, or a
 * role without states:ListStateMachineVersions): the output is informative, not worth failing a deploy.
 */
async function latestVersionArn(client, stateMachineArn) {
    try {
        const versions = await client.send(new _aws_sdk_client_sfn__WEBPACK_IMPORTED_MODULE_2__/* .ListStateMachineVersionsCommand */ .XCe({ stateMachineArn, maxResults: 1 }));
        return { versionArn: versions.stateMachineVersions?.[0]?.stateMachineVersionArn };
    }
    catch (error) {
        return { versionError: `ListStateMachineVersions failed: ${error.message}` };
    }
}
/**
 * Starts an execution with a deterministic name. When an execution of that name already exists (the same
 * workflow run attempt ran this step before), it is reused instead of starting a duplicate.
 */
async function startExecution(client, options) {
    try {
        const res = await client.send(new _aws_sdk_client_sfn__WEBPACK_IMPORTED_MODULE_2__/* .StartExecutionCommand */ .MX_(options));
        return { executionArn: res.executionArn, started: true, input: options.input };
    }
    catch (e) {
        if (!(e instanceof _aws_sdk_client_sfn__WEBPACK_IMPORTED_MODULE_2__/* .ExecutionAlreadyExists */ .HUJ)) {
            throw (0,_errors__WEBPACK_IMPORTED_MODULE_1__/* .awsError */ .es)(e, {
                call: 'states:StartExecution',
                resource: `state machine ${options.stateMachineArn}`,
                input: _inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .INPUT */ .bO.stateMachineArn,
                hint: `(The state machine is what mode "deploy" left, or input "${_inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .INPUT */ .bO.stateMachineArn}".)`,
            });
        }
        const executionArn = executionArnFor(options.stateMachineArn, options.name);
        const existing = await describeExecution(client, executionArn);
        return { executionArn, started: false, input: existing.input ?? options.input };
    }
}
/** arn:aws:states:r:a:stateMachine:name  →  arn:aws:states:r:a:execution:name:executionName */
function executionArnFor(stateMachineArn, executionName) {
    const parts = stateMachineArn.split(':');
    // A version or alias ARN carries a qualifier after the name; executions are named on the machine itself.
    const [prefix, name] = [parts.slice(0, 5).join(':'), parts[6]];
    return `${prefix}:execution:${name}:${executionName}`;
}
async function describeExecution(client, executionArn) {
    return (0,_errors__WEBPACK_IMPORTED_MODULE_1__/* .awsCall */ .uF)({ call: 'states:DescribeExecution', resource: `execution ${executionArn}`, input: _inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .INPUT */ .bO.executionArn }, () => client.send(new _aws_sdk_client_sfn__WEBPACK_IMPORTED_MODULE_2__/* .DescribeExecutionCommand */ .tVP({ executionArn })));
}
async function stopExecution(client, executionArn, cause) {
    await (0,_errors__WEBPACK_IMPORTED_MODULE_1__/* .awsCall */ .uF)({ call: 'states:StopExecution', resource: `execution ${executionArn}` }, () => client.send(new _aws_sdk_client_sfn__WEBPACK_IMPORTED_MODULE_2__/* .StopExecutionCommand */ .WP$({ executionArn, error: 'KedroAwsAction.Stopped', cause })));
}

/**
 * Reads the events newer than `afterId`, oldest first: pages are read newest first and reading stops at
 * the first event already seen, so a poll costs one call while little happened.
 */
async function newHistoryEvents(client, executionArn, afterId) {
    const fresh = [];
    let nextToken;
    do {
        const token = nextToken;
        const page = await (0,_errors__WEBPACK_IMPORTED_MODULE_1__/* .awsCall */ .uF)({ call: 'states:GetExecutionHistory', resource: `execution ${executionArn}` }, () => client.send(new _aws_sdk_client_sfn__WEBPACK_IMPORTED_MODULE_2__/* .GetExecutionHistoryCommand */ .eXg({
            executionArn,
            reverseOrder: true,
            maxResults: 100,
            nextToken: token,
            includeExecutionData: true,
        })));
        const events = page.events ?? [];
        fresh.push(...events.filter((e) => (e.id ?? 0) > afterId));
        // Newest first (as asked): an event already seen means everything after it was seen too.
        const descending = events.length < 2 || (events[0].id ?? 0) > (events[events.length - 1].id ?? 0);
        if (descending && events.some((e) => (e.id ?? 0) <= afterId))
            break;
        nextToken = page.nextToken;
    } while (nextToken);
    return fresh.sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
}
/** Deletes every state machine that carries all of `ownerTags` (found by its tags, not its name); returns their ARNs. */
async function deleteStateMachinesTagged(client, ownerTags) {
    const deleted = [];
    for await (const page of (0,_aws_sdk_client_sfn__WEBPACK_IMPORTED_MODULE_2__/* .paginateListStateMachines */ .tfX)({ client }, {})) {
        for (const machine of page.stateMachines ?? []) {
            const { tags } = await client.send(new _aws_sdk_client_sfn__WEBPACK_IMPORTED_MODULE_2__/* .ListTagsForResourceCommand */ .a_e({ resourceArn: machine.stateMachineArn }));
            const current = Object.fromEntries((tags ?? []).map((t) => [t.key, t.value]));
            if (Object.entries(ownerTags).some(([k, v]) => current[k] !== v))
                continue;
            await client.send(new _aws_sdk_client_sfn__WEBPACK_IMPORTED_MODULE_2__/* .DeleteStateMachineCommand */ .vxA({ stateMachineArn: machine.stateMachineArn }));
            deleted.push(machine.stateMachineArn);
        }
    }
    return deleted;
}
/** Deletes the state machine of that name when it carries every one of `ownerTags`; returns its ARN if deleted. */
async function deleteOwnedStateMachine(client, name, ownerTags) {
    const arn = await findStateMachineArn(client, name);
    if (!arn)
        return undefined;
    const machine = `state machine ${arn}`;
    const { tags } = await awsCall({ call: 'states:ListTagsForResource', resource: machine }, () => client.send(new ListTagsForResourceCommand({ resourceArn: arn })));
    const current = Object.fromEntries((tags ?? []).map((t) => [t.key, t.value]));
    if (Object.entries(ownerTags).some(([k, v]) => current[k] !== v))
        return undefined;
    await awsCall({ call: 'states:DeleteStateMachine', resource: machine }, () => client.send(new DeleteStateMachineCommand({ stateMachineArn: arn })));
    return arn;
}


/***/ }),

/***/ 3327:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $m: () => (/* binding */ selectConf),
/* harmony export */   G0: () => (/* binding */ copyRuntime),
/* harmony export */   d0: () => (/* binding */ listArchive),
/* harmony export */   dn: () => (/* binding */ prepareDockerContext)
/* harmony export */ });
/* unused harmony exports runtimeFileIncluded, requirementsText */
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _inputs_table__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1926);
/* harmony import */ var _lib_errors__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7268);
/* harmony import */ var _lib_paths__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(2308);
/* harmony import */ var _dockerfile__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(2784);
/* harmony import */ var _layout__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(2268);
/* harmony import */ var _wheel__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(9375);
/**
 * The build context from what `package` made: the conf of the target env out of the conf archive, the
 * action's runtime out of its `python/` folder, the lock of the image's packages, and (for the docker
 * builder) all of it in one folder with the Dockerfile.
 */









function listFiles(dir, rel = '') {
    const out = [];
    for (const name of node_fs__WEBPACK_IMPORTED_MODULE_1__.readdirSync(node_path__WEBPACK_IMPORTED_MODULE_2__.join(dir, rel)).sort()) {
        const childRel = rel ? `${rel}/${name}` : name;
        const stat = node_fs__WEBPACK_IMPORTED_MODULE_1__.lstatSync(node_path__WEBPACK_IMPORTED_MODULE_2__.join(dir, childRel));
        if (stat.isDirectory())
            out.push(...listFiles(dir, childRel));
        else
            out.push(childRel);
    }
    return out;
}
async function untar(archive, dest) {
    const failure = await new Promise((resolve) => {
        (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.execFile)('tar', ['-xzf', node_path__WEBPACK_IMPORTED_MODULE_2__.resolve(archive), '-C', dest], { encoding: 'utf8' }, (error, _stdout, stderr) => {
            resolve(error ? `${error.message.split('\n')[0]}${stderr ? `: ${stderr.trim()}` : ''}` : null);
        });
    });
    if (failure !== null)
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`extracting the conf archive ${archive} failed: ${failure}`);
}
/** The paths of a conf archive's members (`tar -tzf`). */
async function listArchive(archive) {
    return new Promise((resolve, reject) => {
        (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.execFile)('tar', ['-tzf', node_path__WEBPACK_IMPORTED_MODULE_2__.resolve(archive)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
            if (error)
                reject(new _lib_errors__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`listing the conf archive ${archive} failed: ${stderr.trim() || error.message}`));
            else
                resolve(stdout.split('\n').filter(Boolean));
        });
    });
}
/**
 * `conf/base` and `conf/<env>` of the archive into `dest` (emptied first). Refuses an archive without
 * `conf/<env>`, since every group would then run with an env that does not exist.
 */
async function selectConf(confArchive, env, dest) {
    if (!node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync(confArchive))
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`the conf archive ${confArchive} does not exist; run mode "package" again`);
    if (env === 'local') {
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`input "${_inputs_table__WEBPACK_IMPORTED_MODULE_3__/* .INPUT */ .bO.env}" is "local": conf/local is never put in an image (it holds machine-local settings and credentials); use an env such as aws`);
    }
    const staging = `${dest}.${process.pid}.extract`;
    node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync(staging, { recursive: true, force: true });
    node_fs__WEBPACK_IMPORTED_MODULE_1__.mkdirSync(staging, { recursive: true });
    try {
        await untar(confArchive, staging);
        const conf = node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync(node_path__WEBPACK_IMPORTED_MODULE_2__.join(staging, 'conf')) ? node_path__WEBPACK_IMPORTED_MODULE_2__.join(staging, 'conf') : undefined;
        if (!conf)
            throw new _lib_errors__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`the conf archive ${confArchive} has no conf/ folder (it should come from "kedro package")`);
        if (!node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync(node_path__WEBPACK_IMPORTED_MODULE_2__.join(conf, env))) {
            const envs = node_fs__WEBPACK_IMPORTED_MODULE_1__.readdirSync(conf).filter((n) => node_fs__WEBPACK_IMPORTED_MODULE_1__.statSync(node_path__WEBPACK_IMPORTED_MODULE_2__.join(conf, n)).isDirectory() && n !== 'local');
            throw new _lib_errors__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`the conf archive ${confArchive} has no conf/${env} (input "${_inputs_table__WEBPACK_IMPORTED_MODULE_3__/* .INPUT */ .bO.env}"); it has ${envs.map((e) => `conf/${e}`).join(', ') || 'no env folder'}`);
        }
        const included = [];
        const excluded = [];
        node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync(dest, { recursive: true, force: true });
        node_fs__WEBPACK_IMPORTED_MODULE_1__.mkdirSync(dest, { recursive: true });
        for (const rel of listFiles(conf)) {
            if (!(0,_layout__WEBPACK_IMPORTED_MODULE_7__/* .confPathIncluded */ .ym)(rel, env)) {
                excluded.push(rel);
                continue;
            }
            const target = node_path__WEBPACK_IMPORTED_MODULE_2__.join(dest, rel);
            node_fs__WEBPACK_IMPORTED_MODULE_1__.mkdirSync(node_path__WEBPACK_IMPORTED_MODULE_2__.dirname(target), { recursive: true });
            node_fs__WEBPACK_IMPORTED_MODULE_1__.copyFileSync(node_path__WEBPACK_IMPORTED_MODULE_2__.join(conf, rel), target);
            included.push(rel);
        }
        return { dir: dest, included, excluded };
    }
    finally {
        node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync(staging, { recursive: true, force: true });
    }
}
/** Files of the runtime package that go in the image: not the plan exporter, no caches, no tests. */
function runtimeFileIncluded(rel) {
    const parts = rel.split('/');
    if (parts.some((p) => p === '__pycache__' || p === 'tests' || p.startsWith('.')))
        return false;
    if (rel.endsWith('.pyc'))
        return false;
    return rel !== 'export_plan.py';
}
/** The action's runtime package (python/kedro_aws_action) copied into `dest`. */
function copyRuntime(dest, source = node_path__WEBPACK_IMPORTED_MODULE_2__.join((0,_lib_paths__WEBPACK_IMPORTED_MODULE_5__/* .pythonDir */ .w)(), _layout__WEBPACK_IMPORTED_MODULE_7__/* .RUNTIME_PACKAGE */ .y_)) {
    if (!node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync(node_path__WEBPACK_IMPORTED_MODULE_2__.join(source, 'lambda_handler.py'))) {
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`the action's runtime is missing: no ${node_path__WEBPACK_IMPORTED_MODULE_2__.join(source, 'lambda_handler.py')}`);
    }
    node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync(dest, { recursive: true, force: true });
    const files = listFiles(source).filter(runtimeFileIncluded);
    for (const rel of files) {
        node_fs__WEBPACK_IMPORTED_MODULE_1__.mkdirSync(node_path__WEBPACK_IMPORTED_MODULE_2__.dirname(node_path__WEBPACK_IMPORTED_MODULE_2__.join(dest, rel)), { recursive: true });
        node_fs__WEBPACK_IMPORTED_MODULE_1__.copyFileSync(node_path__WEBPACK_IMPORTED_MODULE_2__.join(source, rel), node_path__WEBPACK_IMPORTED_MODULE_2__.join(dest, rel));
    }
    return files;
}
/** requirements.txt text: one requirement per line, as the wheel lists them. */
function requirementsText(requirements) {
    return requirements.length ? `${requirements.join('\n')}\n` : '';
}
/** The folder `docker buildx build` is given. */
async function prepareDockerContext(o) {
    const metadata = (0,_wheel__WEBPACK_IMPORTED_MODULE_8__/* .readWheelMetadata */ .rN)(o.wheel);
    node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync(o.dir, { recursive: true, force: true });
    node_fs__WEBPACK_IMPORTED_MODULE_1__.mkdirSync(o.dir, { recursive: true });
    const wheelName = node_path__WEBPACK_IMPORTED_MODULE_2__.basename(o.wheel);
    node_fs__WEBPACK_IMPORTED_MODULE_1__.copyFileSync(o.wheel, node_path__WEBPACK_IMPORTED_MODULE_2__.join(o.dir, wheelName));
    node_fs__WEBPACK_IMPORTED_MODULE_1__.writeFileSync(node_path__WEBPACK_IMPORTED_MODULE_2__.join(o.dir, 'requirements.txt'), requirementsText(metadata.requirements));
    node_fs__WEBPACK_IMPORTED_MODULE_1__.copyFileSync(o.lock.file, node_path__WEBPACK_IMPORTED_MODULE_2__.join(o.dir, 'requirements.lock'));
    const conf = await selectConf(o.confArchive, o.env, node_path__WEBPACK_IMPORTED_MODULE_2__.join(o.dir, 'conf'));
    copyRuntime(node_path__WEBPACK_IMPORTED_MODULE_2__.join(o.dir, _layout__WEBPACK_IMPORTED_MODULE_7__/* .RUNTIME_PACKAGE */ .y_));
    let dockerfile = node_path__WEBPACK_IMPORTED_MODULE_2__.join(o.dir, 'Dockerfile');
    if (o.dockerfile) {
        if (!node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync(o.dockerfile))
            throw new _lib_errors__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`input "${_inputs_table__WEBPACK_IMPORTED_MODULE_3__/* .INPUT */ .bO.dockerfile}": ${o.dockerfile} does not exist`);
        dockerfile = node_path__WEBPACK_IMPORTED_MODULE_2__.resolve(o.dockerfile);
    }
    else {
        node_fs__WEBPACK_IMPORTED_MODULE_1__.writeFileSync(dockerfile, (0,_dockerfile__WEBPACK_IMPORTED_MODULE_6__/* .lambdaDockerfile */ .CA)({
            baseImage: o.baseImage,
            ...(o.kind ? { kind: o.kind } : {}),
            wheel: wheelName,
            lock: { packages: o.lock.parsed.requirements.length, hashed: o.lock.hashed },
            projectName: o.projectName,
            pythonVersion: o.pythonVersion,
        }));
    }
    return { dir: o.dir, dockerfile, generated: !o.dockerfile, requirements: metadata.requirements, conf };
}


/***/ }),

/***/ 4558:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   a0: () => (/* binding */ dockerBuildAndPush),
/* harmony export */   d1: () => (/* binding */ runCommand),
/* harmony export */   yX: () => (/* binding */ dockerEngineAvailable)
/* harmony export */ });
/* unused harmony export ensureBuildxBuilder */
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7484);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(_actions_core__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _lib_errors__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7268);
/* harmony import */ var _dockerfile__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(2784);
/**
 * The `docker` builder's effects: is there an engine (`docker info`), the buildx builder it uses (a
 * `docker-container` builder, created once), `docker login` with the password on standard input,
 * `docker buildx build` pushing by digest, and the digest buildx reports. The command lines themselves
 * are built in dockerfile.ts (pure, unit-tested).
 */






/** Runs a command, streaming its output to the log; `input` goes to its standard input. */
function runCommand(command, args, options = {}) {
    return new Promise((resolve) => {
        let output = '';
        let child;
        try {
            child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)(command, args, {
                stdio: ['pipe', 'pipe', 'pipe'],
                env: options.env ?? process.env,
                ...(options.cwd ? { cwd: options.cwd } : {}),
            });
        }
        catch (error) {
            resolve({ code: 127, output: error.message });
            return;
        }
        const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
        const onData = (d) => {
            const text = d.toString();
            output = (output + text).slice(-20000);
            if (!options.quiet)
                for (const line of text.split('\n').filter(Boolean))
                    _actions_core__WEBPACK_IMPORTED_MODULE_3__.info(`  ${options.label ?? command} | ${line}`);
        };
        child.stdout?.on('data', onData);
        child.stderr?.on('data', onData);
        child.on('error', (error) => {
            if (timer)
                clearTimeout(timer);
            resolve({ code: 127, output: error.message });
        });
        child.on('close', (code) => {
            if (timer)
                clearTimeout(timer);
            resolve({ code: code ?? 1, output });
        });
        child.stdin?.end(options.input ?? '');
    });
}
/** `docker info` answers: a Docker engine is reachable. */
async function dockerEngineAvailable() {
    const result = await runCommand('docker', ['info', '--format', '{{.ServerVersion}}'], {
        timeoutMs: 20_000,
        quiet: true,
    });
    return result.code === 0 && result.output.trim() !== '';
}
/** The docker-container builder of the action: reused when it exists, else created (and started). */
async function ensureBuildxBuilder() {
    const found = await runCommand('docker', (0,_dockerfile__WEBPACK_IMPORTED_MODULE_5__/* .buildxInspectArgs */ .qt)(), { quiet: true, timeoutMs: 60_000 });
    if (found.code === 0)
        return;
    _actions_core__WEBPACK_IMPORTED_MODULE_3__.info(`docker ${(0,_dockerfile__WEBPACK_IMPORTED_MODULE_5__/* .buildxCreateArgs */ .OC)().join(' ')}`);
    const created = await runCommand('docker', (0,_dockerfile__WEBPACK_IMPORTED_MODULE_5__/* .buildxCreateArgs */ .OC)(), { timeoutMs: 300_000 });
    if (created.code !== 0) {
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`creating the buildx builder "${_dockerfile__WEBPACK_IMPORTED_MODULE_5__/* .BUILDX_BUILDER */ .Zc}" (driver docker-container) failed: ${created.output.trim().slice(-500)}\n` +
            "The docker builder needs it to push the image by its digest and to use GitHub's cache (the engine's default " +
            '"docker" driver can do neither); it runs BuildKit from the moby/buildkit image. ' +
            'Use builder: oci to build without Docker.');
    }
}
/** Logs in, builds and pushes by digest (no tag); returns the pushed digest. */
async function dockerBuildAndPush(o) {
    const login = await runCommand('docker', (0,_dockerfile__WEBPACK_IMPORTED_MODULE_5__/* .dockerLoginArgs */ .z8)(o.registry, o.username), { input: o.password, quiet: true });
    if (login.code !== 0)
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`docker login to ${o.registry} failed: ${login.output.trim().slice(-500)}`);
    await ensureBuildxBuilder();
    const metadataFile = node_path__WEBPACK_IMPORTED_MODULE_2__.join(o.workDir, 'buildx-metadata.json');
    node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync(metadataFile, { force: true });
    const args = (0,_dockerfile__WEBPACK_IMPORTED_MODULE_5__/* .buildxArgs */ .w$)({
        contextDir: o.contextDir,
        dockerfile: o.dockerfile,
        platform: o.platform,
        repositoryRef: o.repositoryRef,
        metadataFile,
        cacheScope: o.cacheScope,
        env: o.env,
        ...(o.labels ? { labels: o.labels } : {}),
    });
    if (!(0,_dockerfile__WEBPACK_IMPORTED_MODULE_5__/* .githubCacheAvailable */ .Fl)(o.env))
        _actions_core__WEBPACK_IMPORTED_MODULE_3__.info("GitHub's cache is not available to this step: building without a layer cache");
    _actions_core__WEBPACK_IMPORTED_MODULE_3__.info(`docker ${args.join(' ')}`);
    const build = await runCommand('docker', args, { env: o.env });
    if (build.code !== 0)
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`docker buildx build failed (exit code ${build.code}); its output is above`);
    const digest = node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync(metadataFile) ? (0,_dockerfile__WEBPACK_IMPORTED_MODULE_5__/* .digestFromMetadata */ .yW)(node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync(metadataFile, 'utf8')) : undefined;
    if (!digest)
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`docker buildx build pushed but wrote no image digest in ${metadataFile}`);
    return digest;
}


/***/ }),

/***/ 2784:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CA: () => (/* binding */ lambdaDockerfile),
/* harmony export */   Fl: () => (/* binding */ githubCacheAvailable),
/* harmony export */   OC: () => (/* binding */ buildxCreateArgs),
/* harmony export */   Zc: () => (/* binding */ BUILDX_BUILDER),
/* harmony export */   qt: () => (/* binding */ buildxInspectArgs),
/* harmony export */   w$: () => (/* binding */ buildxArgs),
/* harmony export */   yW: () => (/* binding */ digestFromMetadata),
/* harmony export */   z8: () => (/* binding */ dockerLoginArgs)
/* harmony export */ });
/* harmony import */ var _layout__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2268);
/**
 * The `docker` builder's side that needs no engine (pure): the generated Dockerfile and the command
 * lines of `docker login` and `docker buildx build`.
 *
 * The build context (see context.ts) holds:
 *   Dockerfile            generated, or the project's own (`dockerfile` input)
 *   requirements.lock     the lock of the image's packages (from `package`), installed with --no-deps
 *   requirements.txt      the wheel's requirements (Requires-Dist), one per line (what the lock satisfies)
 *   <the wheel>           from `kedro package`
 *   conf/                 conf/base and conf/<env> of the conf archive (no conf/local, no credentials)
 *   kedro_aws_action/     the action's runtime (the Lambda handler, logging.yml)
 */

/** The image's command (and for Batch its environment), as imageSettings says for the oci builder. */
function commandLines(kind) {
    const settings = (0,_layout__WEBPACK_IMPORTED_MODULE_0__/* .imageSettings */ .Ty)(kind);
    // The Lambda base image already sets the task root and its working directory; the entrypoint is ours
    // (it hands the handler over to the base image's, and runs a Batch job's command: layout.ts).
    if (kind === 'lambda') {
        return [`ENTRYPOINT ${JSON.stringify(settings.entrypoint)}`, `CMD ${JSON.stringify(settings.cmd)}`];
    }
    const env = Object.entries(settings.env).map(([k, v]) => `ENV ${k}=${v}`);
    const entrypoint = settings.entrypoint ? [`ENTRYPOINT ${JSON.stringify(settings.entrypoint)}`] : [];
    return [...env, `WORKDIR ${_layout__WEBPACK_IMPORTED_MODULE_0__/* .TASK_ROOT */ .tW}`, ...entrypoint, `CMD ${JSON.stringify(settings.cmd)}`];
}
/**
 * Dockerfile for Lambda (or, with kind batch, for a Batch container).
 The dependency layer comes before the wheel's, so a change to the project's
 * code (a new wheel) rebuilds and pushes only the small layers after it.
 */
function lambdaDockerfile(o) {
    const stage = '/tmp/kedro-aws';
    const lines = [
        '# syntax=docker/dockerfile:1',
        `# Generated by kedro-aws-action: the Kedro project "${o.projectName}" for AWS Lambda (Python ${o.pythonVersion}).`,
        `FROM ${o.baseImage}`,
    ];
    if (o.lock.packages > 0) {
        const hashes = o.lock.hashed ? ' --require-hashes' : '';
        lines.push('', "# 1. The project's dependencies, exactly the lock's: this layer is reused until the lock changes.", `COPY requirements.lock ${stage}/requirements.lock`, `RUN pip install --no-cache-dir --no-compile --no-deps${hashes} --target "${_layout__WEBPACK_IMPORTED_MODULE_0__/* .TASK_ROOT */ .tW}" -r ${stage}/requirements.lock && rm -rf ${stage}`);
    }
    lines.push('', '# 2. The project wheel, without its dependencies (they are above).', `COPY ${o.wheel} ${stage}/${o.wheel}`, `RUN pip install --no-cache-dir --no-compile --no-deps --target "${_layout__WEBPACK_IMPORTED_MODULE_0__/* .TASK_ROOT */ .tW}" ${stage}/${o.wheel} && rm -rf ${stage}`, '', '# 3. The conf of the target env (conf/base and conf/<env>; never conf/local or credentials).', `COPY conf/ ${_layout__WEBPACK_IMPORTED_MODULE_0__/* .CONF_DIR */ .d$}/`, '', "# 4. kedro-aws-action's runtime: the handler that runs one group per invocation.", `COPY ${_layout__WEBPACK_IMPORTED_MODULE_0__/* .RUNTIME_PACKAGE */ .y_}/ ${_layout__WEBPACK_IMPORTED_MODULE_0__/* .TASK_ROOT */ .tW}/${_layout__WEBPACK_IMPORTED_MODULE_0__/* .RUNTIME_PACKAGE */ .y_}/`, '', ...commandLines(o.kind ?? 'lambda'), '');
    return lines.join('\n');
}
/** Is GitHub's cache service reachable from this step (what buildx's `type=gha` cache needs)? */
function githubCacheAvailable(env) {
    return Boolean(env.ACTIONS_RUNTIME_TOKEN && (env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL));
}
/**
 * The buildx builder the docker builder uses: BuildKit in a container (driver `docker-container`), not
 * the engine's default builder (driver `docker`), which can neither export a cache to GitHub's cache
 * service ("Cache export is not supported for the docker driver":
 * https://docs.docker.com/build/cache/backends/gha/) nor push an image by its digest alone. Host
 * networking lets BuildKit reach a registry on the runner's loopback (`registry` input).
 */
const BUILDX_BUILDER = 'kedro-aws-action';
/** `docker buildx inspect <builder>`: does the builder exist (exit code 0)? */
function buildxInspectArgs(builder = BUILDX_BUILDER) {
    return ['buildx', 'inspect', builder];
}
/** `docker buildx create`: the builder, started at once so a failure shows here and not in the build. */
function buildxCreateArgs(builder = BUILDX_BUILDER) {
    return [
        'buildx',
        'create',
        '--name',
        builder,
        '--driver',
        'docker-container',
        '--driver-opt',
        'network=host',
        '--bootstrap',
    ];
}
/**
 * `docker buildx build --builder kedro-aws-action --platform <platform> ... --output type=image,...push=true`.
 * The image is pushed by its digest only (`push-by-digest=true`): no tag is written by the push, so an
 * immutable repository cannot refuse it; `build` then tags it with ECR's PutImage. `--provenance=false`
 * keeps the push a single image manifest: with buildx's default attestations it is an index, which Lambda
 * refuses. GitHub's cache (`type=gha`) when the step has its variables.
 */
function buildxArgs(o) {
    const args = [
        'buildx',
        'build',
        '--builder',
        o.builder ?? BUILDX_BUILDER,
        '--platform',
        o.platform,
        '--provenance=false',
        '--file',
        o.dockerfile,
    ];
    for (const [key, value] of Object.entries(o.labels ?? {}).sort())
        args.push('--label', `${key}=${value}`);
    args.push('--output', `type=image,name=${o.repositoryRef},push-by-digest=true,name-canonical=true,push=true`, '--metadata-file', o.metadataFile);
    if (githubCacheAvailable(o.env)) {
        args.push('--cache-from', `type=gha,scope=${o.cacheScope}`, '--cache-to', `type=gha,mode=max,scope=${o.cacheScope}`);
    }
    args.push(o.contextDir);
    return args;
}
/** `docker login` with the password on standard input (never on the command line). */
function dockerLoginArgs(registry, username) {
    return ['login', '--username', username, '--password-stdin', registry];
}
/** The digest buildx recorded in its metadata file. */
function digestFromMetadata(text) {
    try {
        const parsed = JSON.parse(text);
        const digest = parsed['containerimage.digest'];
        return typeof digest === 'string' && /^sha256:[0-9a-f]{64}$/.test(digest) ? digest : undefined;
    }
    catch {
        return undefined;
    }
}


/***/ }),

/***/ 2268:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Em: () => (/* binding */ pipTargetArgs),
/* harmony export */   FL: () => (/* binding */ parsePlatform),
/* harmony export */   Id: () => (/* binding */ lambdaBaseImage),
/* harmony export */   Of: () => (/* binding */ pipPlatforms),
/* harmony export */   PL: () => (/* binding */ platformArchitecture),
/* harmony export */   Sl: () => (/* binding */ isCredentialsPath),
/* harmony export */   Ty: () => (/* binding */ imageSettings),
/* harmony export */   WO: () => (/* binding */ shippedEnvs),
/* harmony export */   d$: () => (/* binding */ CONF_DIR),
/* harmony export */   hN: () => (/* binding */ batchBaseImage),
/* harmony export */   tW: () => (/* binding */ TASK_ROOT),
/* harmony export */   y_: () => (/* binding */ RUNTIME_PACKAGE),
/* harmony export */   ym: () => (/* binding */ confPathIncluded),
/* harmony export */   yn: () => (/* binding */ parsePythonVersion)
/* harmony export */ });
/* unused harmony exports LAMBDA_HANDLER, LAMBDA_IMAGE_ENTRYPOINT, LAMBDA_BASE_REPOSITORY, BATCH_COMMAND */
/* harmony import */ var _inputs_table__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1926);
/* harmony import */ var _lib_errors__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7268);
/**
 * Where things go in the image, spelled once for both builders (pure: no I/O).
 *
 * Target step-functions (AWS Lambda): the AWS Lambda Python base image of the project's Python
 * (`public.ecr.aws/lambda/python:<major.minor>`), everything in the task root `/var/task`, which the
 * Lambda Python runtime puts first on `sys.path` (AWS's own instructions for container images install
 * with `pip install --target ${LAMBDA_TASK_ROOT}`):
 *
 *   /var/task/<dependencies>          layer 1: the wheel's requirements (changes rarely)
 *   /var/task/<package>/ + dist-info  layer 2: the project wheel, installed without dependencies
 *   /var/task/conf/{base,<env>}/      layer 3: the conf of the target env (never conf/local, never credentials)
 *   /var/task/kedro_aws_action/       layer 4: the action's runtime (handler and logging.yml)
 *   CMD ["kedro_aws_action.lambda_handler.handler"], ENTRYPOINT our entrypoint.sh: with the handler (one
 *   argument, as Lambda starts it) it hands over to the base image's /lambda-entrypoint.sh; with a Batch
 *   job's command (a `compute: batch` group of the stage) it runs that command, which the base image's
 *   entrypoint would refuse and a Batch job definition cannot bypass.
 */


const TASK_ROOT = '/var/task';
const CONF_DIR = `${TASK_ROOT}/conf`;
const RUNTIME_PACKAGE = 'kedro_aws_action';
const LAMBDA_HANDLER = `${RUNTIME_PACKAGE}.lambda_handler.handler`;
/** The Lambda image's entrypoint (python/kedro_aws_action/entrypoint.sh); run by sh, so no mode bit matters. */
const LAMBDA_IMAGE_ENTRYPOINT = ['/bin/sh', `${TASK_ROOT}/${RUNTIME_PACKAGE}/entrypoint.sh`];
const LAMBDA_BASE_REPOSITORY = 'public.ecr.aws/lambda/python';
/** Python versions AWS publishes a Lambda base image for (python:3.9 ... python:3.14). */
const LAMBDA_PYTHON_MINORS = [9, 10, 11, 12, 13, 14];
function parsePythonVersion(value) {
    const m = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(value.trim());
    if (!m)
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`the plan's python_version "${value}" is not <major>.<minor> (e.g. 3.12)`);
    return { major: Number(m[1]), minor: Number(m[2]), text: `${m[1]}.${m[2]}` };
}
/** The Batch entry point, run from the task root; the job definition's command gives its arguments. */
const BATCH_COMMAND = ['python3', '-m', 'kedro_aws_action.batch_entry'];
/** Base image of a Batch image: the slim official Python image of the project's version. */
function batchBaseImage(pythonVersion) {
    const v = parsePythonVersion(pythonVersion);
    return `docker.io/library/python:${v.text}-slim`;
}
/** Image config (env, command, entrypoint) of each kind; the layers are the same. */
function imageSettings(kind) {
    const env = { LAMBDA_TASK_ROOT: TASK_ROOT, KEDRO_DISABLE_TELEMETRY: 'true' };
    if (kind === 'lambda')
        return { cmd: [LAMBDA_HANDLER], entrypoint: LAMBDA_IMAGE_ENTRYPOINT, env };
    // Batch: no entrypoint of the base's; the task root on the import path, like Lambda's.
    return { cmd: BATCH_COMMAND, entrypoint: [], env: { ...env, PYTHONPATH: TASK_ROOT } };
}
function lambdaBaseImage(pythonVersion) {
    const v = parsePythonVersion(pythonVersion);
    if (v.major !== 3 || !LAMBDA_PYTHON_MINORS.includes(v.minor)) {
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`the project runs on Python ${v.text} (the "python" interpreter of "package"), for which AWS Lambda has no ` +
            `base image (it has 3.${LAMBDA_PYTHON_MINORS[0]} to 3.${LAMBDA_PYTHON_MINORS.at(-1)}); ` +
            'package with a supported Python (actions/setup-python), or give your own base image');
    }
    return `${LAMBDA_BASE_REPOSITORY}:${v.text}`;
}
function parsePlatform(value) {
    if (!_inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .PLATFORMS */ .P4.includes(value)) {
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`input "${_inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .INPUT */ .bO.platform}" accepts ${_inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .PLATFORMS */ .P4.join(' or ')} (the architectures of Lambda and Batch), got "${value}"`);
    }
    return value;
}
/** `linux/amd64` → `amd64`: the `architecture` of the image config and of an index entry. */
function platformArchitecture(platform) {
    return platform === 'linux/arm64' ? 'arm64' : 'amd64';
}
/**
 * The `--platform` values pip is given for the image: manylinux2014 always (pip adds manylinux2010 and
 * manylinux1 itself); for Python 3.12 and later, whose Lambda images run Amazon Linux 2023 (glibc
 * 2.34), also manylinux_2_28, which newer wheels are often built for only.
 */
function pipPlatforms(platform, python) {
    const arch = platform === 'linux/arm64' ? 'aarch64' : 'x86_64';
    const tags = [`manylinux2014_${arch}`];
    if (python.major === 3 && python.minor >= 12)
        tags.push(`manylinux_2_28_${arch}`);
    return tags;
}
/**
 * `pip install` arguments that fetch wheels for the image, not for the runner: the image's platform,
 * CPython of the image's version, binary wheels only (nothing is compiled on the runner for the wrong
 * system), no .pyc (their timestamps would change every build's digest).
 */
function pipTargetArgs(target, platform, python) {
    return [
        '-m',
        'pip',
        'install',
        '--target',
        target,
        ...pipPlatforms(platform, python).flatMap((p) => ['--platform', p]),
        '--implementation',
        'cp',
        '--python-version',
        python.text,
        '--only-binary=:all:',
        '--no-compile',
        '--no-input',
        '--disable-pip-version-check',
    ];
}
/** Kedro's credentials files (its config loader's patterns `credentials*`, `**\/credentials*`). */
function isCredentialsPath(rel) {
    return rel.split('/').some((part) => part.toLowerCase().startsWith('credentials'));
}
/**
 * Which paths of the conf archive go in the image: `conf/base` and `conf/<env>`, not `conf/local` nor
 * any other env, and no credentials file anywhere. `rel` is relative to `conf/`.
 */
function confPathIncluded(rel, env) {
    const [top] = rel.split('/');
    if (top !== 'base' && top !== env)
        return false;
    if (top === 'local')
        return false;
    return !isCredentialsPath(rel);
}
/**
 * The conf envs a conf archive ships: folders of `conf/` with at least one file that goes in an image
 * (`conf/local` never: `kedro package` leaves its `.yml` files out, and no image has it; an env of
 * credentials files only neither). `entries` are the archive's paths (`conf/aws/catalog.yml`).
 */
function shippedEnvs(entries) {
    const envs = new Set();
    for (const entry of entries) {
        const rel = entry.replace(/^\.\//, '');
        if (!rel.startsWith('conf/') || rel.endsWith('/'))
            continue;
        const inConf = rel.slice('conf/'.length);
        const [top] = inConf.split('/');
        if (top && inConf.includes('/') && confPathIncluded(inConf, top))
            envs.add(top);
    }
    return [...envs].sort();
}


/***/ }),

/***/ 1497:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ZP: () => (/* binding */ uvToolDir),
/* harmony export */   a8: () => (/* binding */ makeLock),
/* harmony export */   mF: () => (/* binding */ readLock)
/* harmony export */ });
/* unused harmony exports UV_VERSION, parseLock, checkLockShape, lockText, uvPythonPlatform, indexArgs, uvCompileArgs, uvExportArgs, lockCommand, staleLockMessage, findProjectLock, ensureUv, checkLock */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _inputs_table__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1926);
/* harmony import */ var _kedro_python__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5497);
/* harmony import */ var _lib_errors__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7268);
/* harmony import */ var _lib_files__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(228);
/* harmony import */ var _docker__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(4558);
/* harmony import */ var _layout__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(2268);
/* harmony import */ var _wheel__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(9375);
/**
 * The lock of the image's Python packages: every package `build` installs, pinned to one version with the
 * hashes of its files, so two builds of one commit install the same files (and give the same digest), and
 * the local executor can run with the image's packages.
 *
 * `package` writes it (requirements.lock, pip's requirements format), for the image's Python and platform:
 * 1. from the `requirements-lock` input, when given;
 * 2. else from the project's own lock, at the project's root: `requirements.lock` (pinned; hashes where it
 *    has them), `requirements.txt` when every requirement in it is pinned with hashes (what `pip-compile
 *    --generate-hashes`, `uv pip compile --generate-hashes` and `uv export` write), or `uv.lock` (through
 *    `uv export --frozen`). It must pin every requirement of the wheel, at a version the wheel accepts;
 * 3. else generated from the wheel's requirements with `uv pip compile --generate-hashes` for the image's
 *    CPython and manylinux platform (binary wheels only, unless the docker builder, which can build an
 *    sdist in the image, is chosen). uv is the pinned {@link UV_VERSION}, installed with the project's
 *    Python (`pip install --target`) into the runner's tool cache, or under RUNNER_TEMP.
 * Environment markers are evaluated for the image (not the runner): the lock keeps the lines that apply
 * to it, without their markers. pip's index settings (PIP_INDEX_URL, PIP_EXTRA_INDEX_URL, PIP_FIND_LINKS,
 * PIP_NO_INDEX) reach uv too.
 *
 * `build` installs it with `pip install --no-deps --require-hashes -r requirements.lock` (without
 * `--require-hashes` for a project lock that has no hashes).
 */









/** The uv that `package` installs to make a lock. */
const UV_VERSION = '0.13.9';
/** The first line of every lock `package` writes, with what it was made for (parsed back by `build`). */
const HEADER_RE = /^# kedro-aws-action lock: python=(\S+) platform=(\S+) source=(.+)$/m;
const OPTION_KEPT = /^(--index-url|-i|--extra-index-url|--find-links|-f|--no-index|--trusted-host|--prefer-binary|--only-binary|--no-binary)\b/;
const REQUIREMENT_RE = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(?:@\s*(\S+)|((?:===|==|~=|!=|<=|>=|<|>)[^;]*))?\s*(?:;\s*(.+))?$/;
/** A requirements file (pip's format): logical lines, comments dropped, hashes with their requirement. */
function parseLock(text) {
    const out = { requirements: [], options: [], refused: [] };
    const header = HEADER_RE.exec(text);
    if (header)
        out.header = { python: header[1], platform: header[2], source: header[3].trim() };
    const physical = text.split(/\r?\n/);
    for (let i = 0; i < physical.length; i++) {
        const start = i + 1;
        let logical = physical[i];
        while (logical.endsWith('\\') && i + 1 < physical.length)
            logical = `${logical.slice(0, -1)} ${physical[++i]}`;
        // A comment starts at a # at the line's start or after whitespace (pip's rule).
        const content = logical.replace(/(^|\s)#.*$/, '').trim();
        if (!content)
            continue;
        if (content.startsWith('-')) {
            if (OPTION_KEPT.test(content))
                out.options.push(content);
            else
                out.refused.push({ line: start, text: content });
            continue;
        }
        const hashes = [...content.matchAll(/--hash[=\s]+(\S+)/g)].map((m) => m[1]);
        const requirement = content.replace(/--hash[=\s]+\S+/g, '').trim();
        if (/^(\.|\/|file:)/.test(requirement) || /\s--?\w/.test(requirement)) {
            out.refused.push({ line: start, text: requirement });
            continue;
        }
        const m = REQUIREMENT_RE.exec(requirement);
        if (!m) {
            out.refused.push({ line: start, text: requirement });
            continue;
        }
        const specifier = (m[4] ?? '').replace(/\s+/g, '');
        const pinned = /^===?([^,]+)$/.exec(specifier);
        if (m[3] && /^(file:|\.|\/)/.test(m[3])) {
            out.refused.push({ line: start, text: requirement });
            continue;
        }
        out.requirements.push({
            line: start,
            name: m[1],
            extras: (m[2] ?? '').replace(/\s+/g, ''),
            version: pinned?.[1],
            specifier,
            marker: m[5]?.trim(),
            hashes,
            ...(m[3] ? { url: m[3] } : {}),
        });
    }
    return out;
}
/**
 * What makes a requirements file a lock: every requirement pinned (`==`, or a URL), no include or editable
 * line, hashes on every requirement or on none. Returns whether it has hashes; throws naming the lines.
 */
function checkLockShape(lock, file) {
    const problems = [];
    for (const r of lock.refused)
        problems.push(`line ${r.line}: "${r.text}" (a lock holds pinned requirements only: no -e, -r, -c or local path)`);
    for (const r of lock.requirements) {
        if (!r.version && !r.url)
            problems.push(`line ${r.line}: ${r.name}${r.specifier} is not pinned (==<version>)`);
    }
    const hashed = lock.requirements.filter((r) => r.hashes.length > 0);
    if (hashed.length > 0 && hashed.length < lock.requirements.length) {
        const bare = lock.requirements.filter((r) => r.hashes.length === 0).map((r) => r.name);
        problems.push(`some requirements have hashes and some do not (${bare.slice(0, 10).join(', ')} have none)`);
    }
    if (problems.length) {
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`${file} is not a lock: ${problems.slice(0, 10).join('; ')}${problems.length > 10 ? `; and ${problems.length - 10} more` : ''}. ` +
            'Compile it with hashes (uv pip compile --generate-hashes, or pip-compile --generate-hashes), ' +
            `or name another with input "${_inputs_table__WEBPACK_IMPORTED_MODULE_2__/* .INPUT */ .bO.requirementsLock}"`);
    }
    return { hashed: hashed.length > 0 };
}
/** The lock's text: our header, the kept options, one pinned requirement per entry with its hashes. */
function lockText(header, options, requirements) {
    const lines = [
        `# kedro-aws-action lock: python=${header.python} platform=${header.platform} source=${header.source}`,
        '# The Python packages of the image: `build` installs them with pip --no-deps (--require-hashes when hashed).',
        ...options,
    ];
    for (const r of [...requirements].sort((a, b) => (0,_wheel__WEBPACK_IMPORTED_MODULE_8__/* .normalizeName */ .Pc)(a.name).localeCompare((0,_wheel__WEBPACK_IMPORTED_MODULE_8__/* .normalizeName */ .Pc)(b.name)))) {
        const pin = r.url ? `${r.name}${r.extras} @ ${r.url}` : `${r.name}${r.extras}==${r.version}`;
        lines.push([pin, ...r.hashes.map((h) => `    --hash=${h}`)].join(' \\\n'));
    }
    return `${lines.join('\n')}\n`;
}
/** uv's name of the image's platform: the manylinux of pip's platforms for the image (layout.ts pipPlatforms). */
function uvPythonPlatform(platform, python) {
    const arch = (0,_layout__WEBPACK_IMPORTED_MODULE_7__/* .platformArchitecture */ .PL)(platform) === 'arm64' ? 'aarch64' : 'x86_64';
    return `${arch}-manylinux_${python.major === 3 && python.minor >= 12 ? '2_28' : '2_17'}`;
}
/** pip's index settings, as uv arguments (uv reads UV_* variables, not PIP_* ones). */
function indexArgs(env) {
    const args = [];
    const words = (v) => (v ?? '').split(/\s+/).filter(Boolean);
    if (env.PIP_INDEX_URL && !env.UV_INDEX_URL && !env.UV_DEFAULT_INDEX)
        args.push('--index-url', env.PIP_INDEX_URL);
    if (!env.UV_EXTRA_INDEX_URL && !env.UV_INDEX)
        for (const url of words(env.PIP_EXTRA_INDEX_URL))
            args.push('--extra-index-url', url);
    if (!env.UV_FIND_LINKS)
        for (const link of words(env.PIP_FIND_LINKS))
            args.push('--find-links', link);
    if (/^(1|true|yes|on)$/i.test(env.PIP_NO_INDEX ?? '') && !env.UV_NO_INDEX)
        args.push('--no-index');
    return args;
}
/** `uv pip compile` for the image: its CPython and manylinux platform, with the hashes of every file. */
function uvCompileArgs(o) {
    return [
        'pip',
        'compile',
        o.input,
        '--output-file',
        o.output,
        '--python',
        o.python,
        '--no-python-downloads',
        '--python-version',
        o.pythonVersion.text,
        '--python-platform',
        uvPythonPlatform(o.platform, o.pythonVersion),
        '--generate-hashes',
        '--no-header',
        ...(o.onlyBinary ? ['--only-binary', ':all:'] : []),
        ...indexArgs(o.env),
        '--no-progress',
    ];
}
/** `uv export` of a uv.lock: the project's own dependencies (no dev groups, not the project itself), hashed. */
function uvExportArgs(output) {
    return [
        'export',
        '--frozen',
        '--format',
        'requirements.txt',
        '--no-dev',
        '--no-emit-project',
        '--no-header',
        '--output-file',
        output,
        '--no-progress',
    ];
}
/**
 * The command a user runs at the project's root to make (or update) the lock of the image: the wheel's
 * requirements are pyproject.toml's dependencies, compiled for the image's CPython and platform with the
 * hashes of every file. A uv.lock is updated with `uv lock` (package exports it).
 */
function lockCommand(o) {
    if (o.uvLock)
        return 'uv lock';
    return [
        'uv pip compile pyproject.toml --generate-hashes',
        `--python-version ${o.pythonVersion.text}`,
        `--python-platform ${uvPythonPlatform(o.platform, o.pythonVersion)}`,
        ...(o.onlyBinary ? ['--only-binary :all:'] : []),
        `--output-file ${o.file}`,
    ].join(' ');
}
/** A project's lock that does not pin the wheel's requirements (it was not updated with pyproject.toml). */
function staleLockMessage(o) {
    return (`${o.file} is stale: it does not match the requirements of ${o.wheel} for CPython ${o.python.text} on ${o.platform}: ${o.what}. ` +
        `Update it at the project's root with "${o.command}" and commit it, or give another lock with input "${_inputs_table__WEBPACK_IMPORTED_MODULE_2__/* .INPUT */ .bO.requirementsLock}"`);
}
/** The project's own lock, if it has one this action reads; `ignored`: lock files of other tools it found. */
function findProjectLock(projectPath) {
    const at = (name) => node_path__WEBPACK_IMPORTED_MODULE_1__.join(projectPath, name);
    const ignored = ['poetry.lock', 'pdm.lock', 'pylock.toml', 'Pipfile.lock'].filter((f) => node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync(at(f)));
    if (node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync(at('requirements.lock')))
        return { lock: { file: at('requirements.lock'), kind: 'requirements' }, ignored };
    if (node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync(at('requirements.txt'))) {
        const parsed = parseLock(node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync(at('requirements.txt'), 'utf8'));
        const compiled = parsed.requirements.length > 0 &&
            parsed.refused.length === 0 &&
            parsed.requirements.every((r) => (r.version || r.url) && r.hashes.length > 0);
        if (compiled)
            return { lock: { file: at('requirements.txt'), kind: 'requirements' }, ignored };
    }
    if (node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync(at('uv.lock')))
        return { lock: { file: at('uv.lock'), kind: 'uv.lock' }, ignored };
    return { ignored };
}
/**
 * Where uv is installed: the runner's tool cache (RUNNER_TOOL_CACHE, kept between jobs on self-hosted
 * runners, laid out as @actions/tool-cache does), else the action's folder under RUNNER_TEMP.
 */
function uvToolDir(env, actionDir) {
    const root = env.RUNNER_TOOL_CACHE || node_path__WEBPACK_IMPORTED_MODULE_1__.join(actionDir, 'tools');
    return node_path__WEBPACK_IMPORTED_MODULE_1__.join(root, 'kedro-aws-uv', UV_VERSION, process.arch);
}
/** uv {@link UV_VERSION}, installed with the project's Python when it is not there yet; returns its path. */
async function ensureUv(python, toolDir, env) {
    const binary = node_path__WEBPACK_IMPORTED_MODULE_1__.join(toolDir, 'bin', 'uv');
    if (node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync(binary))
        return binary;
    const staging = `${toolDir}.${process.pid}.tmp`;
    node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync(staging, { recursive: true, force: true });
    node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdirSync(node_path__WEBPACK_IMPORTED_MODULE_1__.dirname(toolDir), { recursive: true });
    const result = await (0,_kedro_python__WEBPACK_IMPORTED_MODULE_3__/* .runPython */ .w)(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--target', staging, `uv==${UV_VERSION}`], { cwd: node_path__WEBPACK_IMPORTED_MODULE_1__.dirname(toolDir), label: `pip (uv ${UV_VERSION})`, env });
    if (result.code !== 0 || !node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync(node_path__WEBPACK_IMPORTED_MODULE_1__.join(staging, 'bin', 'uv'))) {
        node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync(staging, { recursive: true, force: true });
        const noPip = /No module named pip\b/.test(result.stderrTail);
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`installing uv ${UV_VERSION} (to make the lock of the image's packages) with "${python}" failed` +
            (noPip
                ? `: it has no pip (input "${_inputs_table__WEBPACK_IMPORTED_MODULE_2__/* .INPUT */ .bO.python}"); add pip ("${python} -m ensurepip")`
                : ` (pip exit code ${result.code}).\nLast lines:\n${result.stderrTail}`) +
            `; or give a lock with input "${_inputs_table__WEBPACK_IMPORTED_MODULE_2__/* .INPUT */ .bO.requirementsLock}"`);
    }
    try {
        node_fs__WEBPACK_IMPORTED_MODULE_0__.renameSync(staging, toolDir);
    }
    catch {
        // Another job put it there first: use theirs.
        node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync(staging, { recursive: true, force: true });
    }
    return binary;
}
/**
 * Evaluates, for the image and with `packaging` (pip's own when the environment has no other), the
 * lock's markers and the wheel's requirements against the lock: which lines apply to the image, which
 * requirements of the wheel the lock does not pin, or pins at a version the wheel does not accept.
 */
const CHECK_SCRIPT = `
import json, platform, sys
try:
    from packaging.markers import Marker
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
except ImportError:
    from pip._vendor.packaging.markers import Marker
    from pip._vendor.packaging.requirements import Requirement
    from pip._vendor.packaging.utils import canonicalize_name
job = json.load(open(sys.argv[1]))
version = job["python"]
here = "%d.%d" % sys.version_info[:2]
full = platform.python_version() if here == version else version + ".0"
env = {
    "implementation_name": "cpython", "implementation_version": full, "os_name": "posix",
    "platform_machine": job["machine"], "platform_python_implementation": "CPython",
    "platform_release": "", "platform_system": "Linux", "platform_version": "",
    "python_full_version": full, "python_version": version, "sys_platform": "linux", "extra": "",
}
applies = [not m or Marker(m).evaluate(env) for m in job["markers"]]
pins = {}
for (name, pinned), ok in zip(job["pins"], applies):
    if ok:
        pins[canonicalize_name(name)] = pinned
problems = []
for text in job["wheel"]:
    req = Requirement(text)
    if req.marker and not req.marker.evaluate(env):
        continue
    name = canonicalize_name(req.name)
    if name not in pins:
        problems.append({"requirement": text, "name": req.name, "locked": None})
    elif pins[name] is not None and req.specifier and not req.specifier.contains(pins[name], prereleases=True):
        problems.append({"requirement": text, "name": req.name, "locked": pins[name]})
json.dump({"applies": applies, "problems": problems}, open(sys.argv[2], "w"))
`;
async function checkLock(python, lock, wheelRequirements, target, workDir) {
    const job = node_path__WEBPACK_IMPORTED_MODULE_1__.join(workDir, 'lock-check.json');
    const answer = node_path__WEBPACK_IMPORTED_MODULE_1__.join(workDir, 'lock-check.out.json');
    node_fs__WEBPACK_IMPORTED_MODULE_0__.writeFileSync(job, JSON.stringify({
        python: target.pythonVersion.text,
        machine: (0,_layout__WEBPACK_IMPORTED_MODULE_7__/* .platformArchitecture */ .PL)(target.platform) === 'arm64' ? 'aarch64' : 'x86_64',
        markers: lock.requirements.map((r) => r.marker ?? null),
        pins: lock.requirements.map((r) => [r.name, r.version ?? null]),
        wheel: wheelRequirements,
    }));
    try {
        const script = node_path__WEBPACK_IMPORTED_MODULE_1__.join(workDir, 'lock_check.py');
        node_fs__WEBPACK_IMPORTED_MODULE_0__.writeFileSync(script, CHECK_SCRIPT);
        const result = await (0,_kedro_python__WEBPACK_IMPORTED_MODULE_3__/* .runPython */ .w)(python, [script, job, answer], { cwd: workDir, label: 'lock check' });
        if (result.code !== 0 || !node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync(answer)) {
            throw new _lib_errors__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`checking the lock against the wheel's requirements with "${python}" failed (exit code ${result.code}); ` +
                `it needs the packaging module or pip (input "${_inputs_table__WEBPACK_IMPORTED_MODULE_2__/* .INPUT */ .bO.python}").\nLast lines:\n${result.stderrTail}`);
        }
        return JSON.parse(node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync(answer, 'utf8'));
    }
    finally {
        node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync(job, { force: true });
        node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync(answer, { force: true });
    }
}
/** The lock of the image's packages (see the module's comment), written to `o.output`. */
async function makeLock(o) {
    const python = (0,_layout__WEBPACK_IMPORTED_MODULE_7__/* .parsePythonVersion */ .yn)(o.pythonVersion);
    const wheel = (0,_wheel__WEBPACK_IMPORTED_MODULE_8__/* .readWheelMetadata */ .rN)(o.wheel);
    const work = `${o.output}.work`;
    node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync(work, { recursive: true, force: true });
    node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdirSync(work, { recursive: true });
    try {
        let text;
        let source;
        let fromProject;
        const found = o.given
            ? { lock: { file: o.given, kind: 'requirements' }, ignored: [] }
            : findProjectLock(o.projectPath);
        const projectLock = found.lock;
        if (projectLock) {
            if (!node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync(projectLock.file))
                throw new _lib_errors__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`input "${_inputs_table__WEBPACK_IMPORTED_MODULE_2__/* .INPUT */ .bO.requirementsLock}": ${projectLock.file} does not exist`);
            const relative = node_path__WEBPACK_IMPORTED_MODULE_1__.relative(o.projectPath, projectLock.file);
            fromProject = relative && !relative.startsWith('..') ? relative : projectLock.file;
            if (projectLock.kind === 'uv.lock') {
                const uv = await ensureUv(o.python, o.toolDir, o.env);
                const exported = node_path__WEBPACK_IMPORTED_MODULE_1__.join(work, 'uv-export.txt');
                const result = await (0,_docker__WEBPACK_IMPORTED_MODULE_6__/* .runCommand */ .d1)(uv, uvExportArgs(exported), {
                    cwd: o.projectPath,
                    env: { ...o.env, UV_PYTHON_DOWNLOADS: 'never' },
                    label: 'uv export',
                    quiet: true, // as uv pip compile below: every package, so its output only when it fails
                });
                if (result.code !== 0 || !node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync(exported)) {
                    for (const line of result.output.split('\n').filter(Boolean))
                        o.log(`  uv export | ${line}`);
                    throw new _lib_errors__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`"uv export" of ${projectLock.file} failed (exit code ${result.code}): ${result.output.trim().slice(-800)}\n` +
                        `Run "uv lock" in the project and commit uv.lock, or give a compiled lock with input "${_inputs_table__WEBPACK_IMPORTED_MODULE_2__/* .INPUT */ .bO.requirementsLock}"`);
                }
                text = node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync(exported, 'utf8');
                source = `${fromProject} (uv export)`;
            }
            else {
                text = node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync(projectLock.file, 'utf8');
                source = fromProject;
            }
        }
        else {
            for (const file of found.ignored)
                o.notice(`${file} is not read (the lock formats read are requirements.lock, a requirements.txt with hashes and uv.lock): ` +
                    `export it to requirements.lock with hashes, or the lock is made from the wheel's requirements as now`);
            const uv = await ensureUv(o.python, o.toolDir, o.env);
            node_fs__WEBPACK_IMPORTED_MODULE_0__.writeFileSync(node_path__WEBPACK_IMPORTED_MODULE_1__.join(work, 'requirements.in'), wheel.requirements.map((r) => `${r}\n`).join(''));
            const args = uvCompileArgs({
                input: 'requirements.in',
                output: 'requirements.txt',
                python: o.python,
                pythonVersion: python,
                platform: o.platform,
                onlyBinary: !o.sdists,
                env: o.env,
            });
            // uv prints every package it resolved, with all its hashes (hundreds of lines for a real project):
            // the log gets one line of it, and uv's whole output only when it fails.
            const result = wheel.requirements.length
                ? await (0,_docker__WEBPACK_IMPORTED_MODULE_6__/* .runCommand */ .d1)(uv, args, {
                    cwd: work,
                    env: { ...o.env, UV_PYTHON_DOWNLOADS: 'never' },
                    label: 'uv pip compile',
                    quiet: true,
                })
                : { code: 0, output: '' };
            if (result.code !== 0) {
                o.log(`uv ${args.join(' ')} (exit code ${result.code}):`);
                for (const line of result.output.split('\n').filter(Boolean))
                    o.log(`  uv pip compile | ${line}`);
                throw new _lib_errors__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`making the lock of the image's packages failed: uv could not resolve the requirements of ${node_path__WEBPACK_IMPORTED_MODULE_1__.basename(o.wheel)} ` +
                    `for CPython ${python.text} on ${o.platform}${o.sdists ? '' : ' (binary wheels only, as the oci builder installs)'}: ` +
                    `${result.output.trim().slice(-1500)}\nFix the project's dependencies (pyproject.toml), or give a lock with input "${_inputs_table__WEBPACK_IMPORTED_MODULE_2__/* .INPUT */ .bO.requirementsLock}"`);
            }
            text = wheel.requirements.length ? node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync(node_path__WEBPACK_IMPORTED_MODULE_1__.join(work, 'requirements.txt'), 'utf8') : '';
            source = `uv ${UV_VERSION}`;
            o.log(`uv pip compile: ${parseLock(text).requirements.length} package(s) resolved from the ${wheel.requirements.length} ` +
                `requirement(s) of ${node_path__WEBPACK_IMPORTED_MODULE_1__.basename(o.wheel)}, locked in ${o.output}`);
        }
        const parsed = parseLock(text);
        const shown = fromProject ?? 'the lock uv wrote';
        // How the user makes this lock again (named in every refusal of a project's lock).
        const command = lockCommand({
            file: fromProject && projectLock?.kind !== 'uv.lock' ? fromProject : 'requirements.lock',
            pythonVersion: python,
            platform: o.platform,
            onlyBinary: !o.sdists,
            uvLock: projectLock?.kind === 'uv.lock',
        });
        const { hashed } = checkLockShape(parsed, shown);
        // A lock package wrote, committed as the project's: made for this image's Python and platform?
        if (fromProject && parsed.header && (parsed.header.python !== python.text || parsed.header.platform !== o.platform))
            throw new _lib_errors__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`${shown} was made for CPython ${parsed.header.python} on ${parsed.header.platform}, and the image is CPython ` +
                `${python.text} on ${o.platform}: make it again at the project's root with "${command}" and commit it`);
        const check = await checkLock(o.python, parsed, wheel.requirements, { pythonVersion: python, platform: o.platform }, work);
        if (check.problems.length) {
            const what = check.problems
                .map((p) => p.locked === null
                ? `${p.requirement} (not in the lock)`
                : `${p.requirement} (the lock has ${p.name}==${p.locked})`)
                .join('; ');
            throw new _lib_errors__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(staleLockMessage({ file: shown, wheel: node_path__WEBPACK_IMPORTED_MODULE_1__.basename(o.wheel), python, platform: o.platform, what, command }));
        }
        if (!fromProject)
            o.notice("the project has no lock (requirements.lock, a requirements.txt with hashes, or uv.lock): package made one with uv from the wheel's " +
                'requirements, so another run of this commit may resolve newer versions. To fix them, commit it as requirements.lock at the ' +
                `project's root (output "${_inputs_table__WEBPACK_IMPORTED_MODULE_2__/* .INPUT */ .bO.requirementsLock}"), or run "${command}" there`);
        const kept = parsed.requirements.filter((_, i) => check.applies[i]).map((r) => ({ ...r, marker: undefined }));
        if (fromProject && !hashed)
            o.notice(`${fromProject} has no hashes: build installs its pinned versions without checking the files' hashes`);
        node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdirSync(node_path__WEBPACK_IMPORTED_MODULE_1__.dirname(o.output), { recursive: true });
        (0,_lib_files__WEBPACK_IMPORTED_MODULE_5__/* .writePrivateFile */ .Pl)(o.output, lockText({ python: python.text, platform: o.platform, source }, parsed.options, kept));
        return { file: o.output, source, packages: kept.length, hashed: hashed || kept.length === 0 };
    }
    finally {
        node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync(work, { recursive: true, force: true });
    }
}
/**
 * The lock `build` installs: pinned (hashes on every line or none), and made for the image's Python and
 * platform when it says what it was made for (the locks `package` writes do).
 */
function readLock(file, target) {
    if (!node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync(file))
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`the lock ${file} does not exist; run mode "package" again (input "${_inputs_table__WEBPACK_IMPORTED_MODULE_2__/* .INPUT */ .bO.requirementsLock}")`);
    const parsed = parseLock(node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync(file, 'utf8'));
    const { hashed } = checkLockShape(parsed, file);
    const python = (0,_layout__WEBPACK_IMPORTED_MODULE_7__/* .parsePythonVersion */ .yn)(target.pythonVersion).text;
    if (parsed.header && (parsed.header.python !== python || parsed.header.platform !== target.platform)) {
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`the lock ${file} was made for CPython ${parsed.header.python} on ${parsed.header.platform}, and the image is ` +
            `CPython ${python} on ${target.platform}: run mode "package" with the same "${_inputs_table__WEBPACK_IMPORTED_MODULE_2__/* .INPUT */ .bO.platform}" and "${_inputs_table__WEBPACK_IMPORTED_MODULE_2__/* .INPUT */ .bO.python}" as "build"`);
    }
    // pip evaluates a line's marker for the interpreter it runs in (pip/_internal/req/req_install.py
    // match_markers), whatever --platform says: the locks package writes have them evaluated for the image.
    const marked = parsed.requirements.filter((r) => r.marker);
    if (target.pipOnRunner && marked.length)
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`the lock ${file} has environment markers (line ${marked[0].line}: ${marked[0].name}; ${marked[0].marker}), which pip ` +
            `on the runner would evaluate for the runner, not the image: give it to mode "package" (input "${_inputs_table__WEBPACK_IMPORTED_MODULE_2__/* .INPUT */ .bO.requirementsLock}"), ` +
            'which evaluates them for the image');
    return { file, parsed, hashed };
}


/***/ }),

/***/ 6037:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   NP: () => (/* binding */ installWheel),
/* harmony export */   TS: () => (/* binding */ tidyPipTarget),
/* harmony export */   bb: () => (/* binding */ installDependencies)
/* harmony export */ });
/* unused harmony exports missingWheelFromPipOutput, missingWheelMessage, rewriteShebang */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _inputs_table__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1926);
/* harmony import */ var _kedro_python__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(5497);
/* harmony import */ var _lib_errors__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(7268);
/* harmony import */ var _layout__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(2268);
/* harmony import */ var _wheel__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(9375);
/**
 * pip on the runner, installing for the image (its platform and Python), not for the runner:
 * `pip install --target <dir> --platform manylinux2014_x86_64 --implementation cp --python-version <v>
 * --only-binary=:all:`. A dependency with no wheel for that platform fails the build with its name.
 *
 * The installed folders are tidied so the same wheels give the same files: no `direct_url.json`
 * (it records the path the wheel was installed from), console scripts start with
 * `#!/usr/bin/env python3` (not the runner's interpreter), no `__pycache__`.
 */








/**
 * The dependency pip found no wheel for, from its output:
 *   ERROR: Could not find a version that satisfies the requirement foo>=1 (from bar) (from versions: none)
 *   ERROR: No matching distribution found for foo>=1
 */
function missingWheelFromPipOutput(output) {
    const satisfies = /Could not find a version that satisfies the requirement (\S+)(?: \(from (?!versions:)([^)]*)\))?/.exec(output);
    const noMatch = /No matching distribution found for (\S+)/.exec(output);
    const requirement = satisfies?.[1] ?? noMatch?.[1];
    if (!requirement)
        return undefined;
    // `(from -r <file> (line 3))` names the lock, not a package that needs it.
    const from = satisfies?.[2]?.startsWith('-r ') ? undefined : satisfies?.[2];
    const neededBy = from ? (0,_wheel__WEBPACK_IMPORTED_MODULE_7__/* .requirementName */ .xV)(from.split(',')[0]) : undefined;
    return { requirement, name: (0,_wheel__WEBPACK_IMPORTED_MODULE_7__/* .requirementName */ .xV)(requirement), ...(neededBy ? { neededBy } : {}) };
}
function missingWheelMessage(missing, platform, python, direct) {
    const directNames = new Set(direct.map((r) => (0,_wheel__WEBPACK_IMPORTED_MODULE_7__/* .normalizeName */ .Pc)((0,_wheel__WEBPACK_IMPORTED_MODULE_7__/* .requirementName */ .xV)(r))));
    const via = missing.neededBy && !directNames.has((0,_wheel__WEBPACK_IMPORTED_MODULE_7__/* .normalizeName */ .Pc)(missing.name))
        ? ` (needed by ${missing.neededBy})`
        : directNames.has((0,_wheel__WEBPACK_IMPORTED_MODULE_7__/* .normalizeName */ .Pc)(missing.name))
            ? " (one of the project's own requirements)"
            : '';
    return (`dependency "${missing.name}"${via} has no wheel for the image: CPython ${python.text} on ` +
        `${(0,_layout__WEBPACK_IMPORTED_MODULE_6__/* .pipPlatforms */ .Of)(platform, python).join(' / ')} (${platform}), and the oci builder installs binary wheels only ` +
        `(nothing is compiled on the runner). Pin a version of "${missing.name}" that publishes such a wheel ` +
        `(pip asked for "${missing.requirement}") and make the lock again, or use builder: docker, which builds in the image itself.`);
}
/** The interpreter has no pip (e.g. an environment made by uv): say so, and what to do. */
function noPip(python, output) {
    if (/No module named pip\b/.test(output)) {
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_5__/* .ActionError */ .l(`input "${_inputs_table__WEBPACK_IMPORTED_MODULE_3__/* .INPUT */ .bO.python}": "${python}" has no pip, which the oci builder runs to install the image's packages ` +
            `for the image's platform; add pip to that environment ("${python} -m ensurepip", or "uv pip install pip")`);
    }
}
/** pip's words when a file it downloaded does not have a hash of the lock. */
const HASH_MISMATCH_RE = /THESE PACKAGES DO NOT MATCH THE HASHES|hashes are required in --require-hashes mode/i;
/**
 * Installs the lock into `target` for the image: exactly its pinned versions (`--no-deps`: pip resolves
 * nothing), each file checked against the lock's hashes (`--require-hashes`) when it has them.
 * `direct`: the wheel's own requirements, to say whether a package that has no wheel is one of them.
 */
async function installDependencies(lock, o) {
    node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync(o.target, { recursive: true, force: true });
    node_fs__WEBPACK_IMPORTED_MODULE_1__.mkdirSync(o.target, { recursive: true });
    const result = await (0,_kedro_python__WEBPACK_IMPORTED_MODULE_4__/* .runPython */ .w)(o.python, [
        ...(0,_layout__WEBPACK_IMPORTED_MODULE_6__/* .pipTargetArgs */ .Em)(o.target, o.platform, o.pythonVersion),
        '--no-deps',
        ...(lock.hashed ? ['--require-hashes'] : []),
        '-r',
        node_path__WEBPACK_IMPORTED_MODULE_2__.resolve(lock.file),
    ], { cwd: node_path__WEBPACK_IMPORTED_MODULE_2__.dirname(o.target), label: o.label, env: o.env });
    if (result.code !== 0) {
        noPip(o.python, result.stderrTail);
        const missing = missingWheelFromPipOutput(result.stderrTail);
        if (missing)
            throw new _lib_errors__WEBPACK_IMPORTED_MODULE_5__/* .ActionError */ .l(missingWheelMessage(missing, o.platform, o.pythonVersion, o.direct));
        if (HASH_MISMATCH_RE.test(result.stderrTail)) {
            throw new _lib_errors__WEBPACK_IMPORTED_MODULE_5__/* .ActionError */ .l(`a package downloaded for the image does not have the hash the lock ${lock.file} gives it (the index serves ` +
                'another file than when the lock was made, or the lock was edited): make the lock again (mode "package").\n' +
                `Last lines:\n${result.stderrTail}`);
        }
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_5__/* .ActionError */ .l(`installing the locked dependencies (${lock.file}) for the image failed (pip exit code ${result.code}).\nLast lines:\n${result.stderrTail}`);
    }
    tidyPipTarget(o.target);
}
/** Installs the project wheel alone (its dependencies are in their own layer). */
async function installWheel(wheel, o) {
    node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync(o.target, { recursive: true, force: true });
    node_fs__WEBPACK_IMPORTED_MODULE_1__.mkdirSync(o.target, { recursive: true });
    const result = await (0,_kedro_python__WEBPACK_IMPORTED_MODULE_4__/* .runPython */ .w)(o.python, [...(0,_layout__WEBPACK_IMPORTED_MODULE_6__/* .pipTargetArgs */ .Em)(o.target, o.platform, o.pythonVersion), '--no-deps', node_path__WEBPACK_IMPORTED_MODULE_2__.resolve(wheel)], {
        cwd: node_path__WEBPACK_IMPORTED_MODULE_2__.dirname(o.target),
        label: o.label,
        env: o.env,
    });
    if (result.code !== 0) {
        noPip(o.python, result.stderrTail);
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_5__/* .ActionError */ .l(`installing ${node_path__WEBPACK_IMPORTED_MODULE_2__.basename(wheel)} for the image failed (pip exit code ${result.code}).\nLast lines:\n${result.stderrTail}`);
    }
    tidyPipTarget(o.target);
}
const SHEBANG = '#!/usr/bin/env python3';
/** A console script's first line(s) pointing at the runner's Python → `#!/usr/bin/env python3`. */
function rewriteShebang(text) {
    // pip's launcher for long interpreter paths: #!/bin/sh + '''exec' <python> "$0" "$@" + ' '''
    const launcher = /^#!\/bin\/sh\n'''exec' .*python[^\n]*\n' '''\n/.exec(text);
    if (launcher)
        return `${SHEBANG}\n${text.slice(launcher[0].length)}`;
    const first = /^#!([^\n]*)\n/.exec(text);
    if (first && /python/.test(first[1]) && first[0].trim() !== SHEBANG)
        return `${SHEBANG}\n${text.slice(first[0].length)}`;
    return undefined;
}
/** A RECORD hash: `sha256=<urlsafe base64, no padding>`. */
function recordHash(data) {
    return `sha256=${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(data).digest('base64url')}`;
}
/**
 * Makes a pip --target folder the same for the same wheels, wherever and whenever it was installed:
 * console scripts get `#!/usr/bin/env python3` (and their RECORD lines the new hash and size, since
 * pip recorded the script it wrote with the runner's interpreter in it), no direct_url.json (the path
 * the wheel came from), no __pycache__.
 */
function tidyPipTarget(dir) {
    const rewritten = new Map();
    const bin = node_path__WEBPACK_IMPORTED_MODULE_2__.join(dir, 'bin');
    if (node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync(bin) && node_fs__WEBPACK_IMPORTED_MODULE_1__.statSync(bin).isDirectory()) {
        for (const name of node_fs__WEBPACK_IMPORTED_MODULE_1__.readdirSync(bin)) {
            const file = node_path__WEBPACK_IMPORTED_MODULE_2__.join(bin, name);
            if (!node_fs__WEBPACK_IMPORTED_MODULE_1__.lstatSync(file).isFile())
                continue;
            const head = node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync(file);
            if (head.subarray(0, 2).toString() !== '#!')
                continue;
            const text = rewriteShebang(head.toString('utf8'));
            if (text === undefined)
                continue;
            node_fs__WEBPACK_IMPORTED_MODULE_1__.writeFileSync(file, text);
            rewritten.set(name, Buffer.from(text));
        }
    }
    for (const name of node_fs__WEBPACK_IMPORTED_MODULE_1__.readdirSync(dir)) {
        const full = node_path__WEBPACK_IMPORTED_MODULE_2__.join(dir, name);
        if (name.endsWith('.dist-info') && node_fs__WEBPACK_IMPORTED_MODULE_1__.statSync(full).isDirectory()) {
            node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync(node_path__WEBPACK_IMPORTED_MODULE_2__.join(full, 'direct_url.json'), { force: true });
            const record = node_path__WEBPACK_IMPORTED_MODULE_2__.join(full, 'RECORD');
            if (!node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync(record))
                continue;
            const before = node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync(record, 'utf8');
            const after = before
                .split('\n')
                .filter((line) => !line.startsWith(`${name}/direct_url.json,`))
                .map((line) => {
                const m = /^((?:.*\/)?bin\/([^/,]+)),[^,]*,[^,]*$/.exec(line);
                const script = m ? rewritten.get(m[2]) : undefined;
                return script ? `${m[1]},${recordHash(script)},${script.length}` : line;
            })
                .join('\n');
            if (after !== before)
                node_fs__WEBPACK_IMPORTED_MODULE_1__.writeFileSync(record, after);
        }
    }
    const removeCaches = (d) => {
        for (const name of node_fs__WEBPACK_IMPORTED_MODULE_1__.readdirSync(d)) {
            const full = node_path__WEBPACK_IMPORTED_MODULE_2__.join(d, name);
            const stat = node_fs__WEBPACK_IMPORTED_MODULE_1__.lstatSync(full);
            if (!stat.isDirectory())
                continue;
            if (name === '__pycache__')
                node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync(full, { recursive: true, force: true });
            else
                removeCaches(full);
        }
    };
    removeCaches(dir);
}


/***/ }),

/***/ 8461:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   U3: () => (/* binding */ packageProvenance),
/* harmony export */   Xd: () => (/* binding */ provenanceLabels),
/* harmony export */   c3: () => (/* binding */ wheelDigest),
/* harmony export */   d_: () => (/* binding */ LABEL),
/* harmony export */   qh: () => (/* binding */ provenanceDifferences),
/* harmony export */   v: () => (/* binding */ confDigest)
/* harmony export */ });
/* unused harmony exports contentDigest, planDigest */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _lib_errors__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7268);
/* harmony import */ var _context__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3327);
/* harmony import */ var _wheel__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(9375);
/**
 * What an image was built from, as labels of its config: the digests of the wheel and of the conf the
 * image holds, the env, and a digest of the plan's groups. `build` sets them; `deploy` reads them back
 * from the registry and refuses an image whose wheel or conf is not the package of its own step, so a
 * fixed `image-uri` cannot silently run old code (src/context/image.ts).
 *
 * The digests are of the content, not of the files' bytes: `kedro package` writes zip and tar.gz members
 * with the time of the build, so two packages of one commit differ byte for byte but not here.
 * - wheel: every member's name and sha256, except `*.dist-info/RECORD` (hashes of the others) and
 *   `*.dist-info/WHEEL` (names the build backend's version, not the project);
 * - conf: every file of `conf/base` and `conf/<env>` that goes in the image (selectConf), name and sha256;
 * - plan: the package, pipeline, env and each group's nodes (not the runtime params nor the resolved
 *   paths, which one image serves whatever they are). It is recorded, not compared: one wheel and conf
 *   serve every pipeline of the project.
 */






/** The labels, spelled once. */
const LABEL = {
    wheel: 'kedro-aws-action.wheel-digest',
    conf: 'kedro-aws-action.conf-digest',
    env: 'kedro-aws-action.env',
    plan: 'kedro-aws-action.plan-digest',
};
function sha256(data) {
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(data).digest('hex');
}
/** sha256 over sorted `name\0sha256(content)\n` lines. */
function contentDigest(files) {
    const lines = [...files].map(([name, bytes]) => `${name}\0${sha256(bytes)}\n`).sort();
    return `sha256:${sha256(lines.join(''))}`;
}
/** Members of the wheel that say how it was built, not what it holds. */
function buildRecord(name) {
    return /^[^/]+\.dist-info\/(RECORD|WHEEL)$/.test(name);
}
function wheelDigest(wheel) {
    let entries;
    try {
        entries = (0,_wheel__WEBPACK_IMPORTED_MODULE_5__/* .readZipEntries */ .YJ)(node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync(wheel));
    }
    catch (error) {
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_3__/* .ActionError */ .l(`the wheel ${wheel} cannot be read: ${error.message}`);
    }
    const files = [...entries]
        .filter(([name]) => !name.endsWith('/') && !buildRecord(name))
        .map(([name, read]) => [name, read()]);
    return contentDigest(files);
}
/** The digest of the conf the image of `env` holds (extracted into `scratch`, removed after). */
async function confDigest(confArchive, env, scratch) {
    try {
        const conf = await (0,_context__WEBPACK_IMPORTED_MODULE_4__/* .selectConf */ .$m)(confArchive, env, scratch);
        return contentDigest(conf.included.map((rel) => [rel, node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync(node_path__WEBPACK_IMPORTED_MODULE_2__.join(conf.dir, rel))]));
    }
    finally {
        node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync(scratch, { recursive: true, force: true });
    }
}
/** Pure: the digest of what the plan asks the image to run. */
function planDigest(plan) {
    const shape = {
        package: plan.project.package_name,
        pipeline: plan.pipeline,
        env: plan.env,
        groups: plan.groups.map((g) => ({ name: g.name, nodes: [...g.nodes].sort() })),
    };
    return `sha256:${sha256(JSON.stringify(shape))}`;
}
async function packageProvenance(o) {
    return {
        wheel: wheelDigest(o.wheel),
        conf: await confDigest(o.confArchive, o.plan.env, o.scratch),
        env: o.plan.env,
        plan: planDigest(o.plan),
    };
}
function provenanceLabels(p) {
    return { [LABEL.wheel]: p.wheel, [LABEL.conf]: p.conf, [LABEL.env]: p.env, [LABEL.plan]: p.plan };
}
/**
 * Pure: how the image's labels differ from the package of this step (empty: they match). Only what
 * this step knows is compared: the wheel when it has one, the conf when it has the conf archive.
 */
function provenanceDifferences(labels, expected) {
    const found = labels ?? {};
    if (!found[LABEL.wheel] && !found[LABEL.conf]) {
        return ['it has no kedro-aws-action labels (it was not built by mode "build" of this action)'];
    }
    const differences = [];
    if (expected.wheel && found[LABEL.wheel] !== expected.wheel) {
        differences.push(`its wheel is ${found[LABEL.wheel] ?? 'not labelled'}, this step's is ${expected.wheel}`);
    }
    if (expected.conf && found[LABEL.conf] !== expected.conf) {
        const envs = expected.env && found[LABEL.env] && found[LABEL.env] !== expected.env
            ? ` (built for env "${found[LABEL.env]}", deployed with env "${expected.env}")`
            : '';
        differences.push(`its conf is ${found[LABEL.conf] ?? 'not labelled'}, this step's is ${expected.conf}${envs}`);
    }
    return differences;
}


/***/ }),

/***/ 585:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AT: () => (/* binding */ resolveImage),
/* harmony export */   Fh: () => (/* binding */ registryEndpoint),
/* harmony export */   Q: () => (/* binding */ parseImageRef),
/* harmony export */   Rn: () => (/* binding */ MEDIA),
/* harmony export */   bP: () => (/* binding */ RegistryClient),
/* harmony export */   cW: () => (/* binding */ isLoopbackHost),
/* harmony export */   sI: () => (/* binding */ sha256Digest)
/* harmony export */ });
/* unused harmony exports parseChallenge, emptyStats, RegistryError */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _lib_errors__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7268);
/**
 * A client of the Registry HTTP API v2 (the OCI distribution spec): what the `oci` builder needs to
 * pull a base image and push an image without a Docker engine.
 *
 * Auth as registries ask for it: a request without credentials first (or with Basic when the
 * registry is known to take it); on `401` the `WWW-Authenticate` challenge says how:
 * - `Basic realm=...` (ECR, a registry with htpasswd): the user and password, e.g. ECR's
 *   GetAuthorizationToken (`AWS:<token>`);
 * - `Bearer realm=...,service=...,scope=...` (public.ecr.aws, Docker Hub, token-auth registries): a token
 *   from the realm, anonymous or with the user and password, cached per scope.
 *
 * Pushes: HEAD the blob (present: nothing sent), else a cross-repository mount when the blob is in
 * another repository of the same registry, else POST an upload, PATCH the bytes, PUT with the digest;
 * then PUT the manifest. Every byte sent is counted in `stats`.
 */


const MEDIA = {
    ociManifest: 'application/vnd.oci.image.manifest.v1+json',
    ociIndex: 'application/vnd.oci.image.index.v1+json',
    ociConfig: 'application/vnd.oci.image.config.v1+json',
    ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
    dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
    dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
    dockerConfig: 'application/vnd.docker.container.image.v1+json',
    dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
};
const MANIFEST_ACCEPT = [MEDIA.ociIndex, MEDIA.ociManifest, MEDIA.dockerList, MEDIA.dockerManifest].join(', ');
const DOCKER_HUB = 'registry-1.docker.io';
/** Attempts of one registry call (and of one blob upload) before its error is reported. */
const MAX_ATTEMPTS = 4;
const RETRY_DELAY_MS = 500;
const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** `public.ecr.aws/lambda/python:3.12`, `python:3.12-slim`, `host:5000/a/b@sha256:...` → parts. */
function parseImageRef(ref) {
    let rest = ref.trim();
    let reference = 'latest';
    const at = rest.indexOf('@');
    if (at >= 0) {
        reference = rest.slice(at + 1);
        rest = rest.slice(0, at);
    }
    else {
        const colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            reference = rest.slice(colon + 1);
            rest = rest.slice(0, colon);
        }
    }
    const slash = rest.indexOf('/');
    const first = slash >= 0 ? rest.slice(0, slash) : '';
    let registry;
    let repository;
    if (slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
        registry = first;
        repository = rest.slice(slash + 1);
    }
    else {
        registry = DOCKER_HUB;
        repository = slash >= 0 ? rest : `library/${rest}`;
    }
    if (!repository ||
        !/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(repository)) {
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`"${ref}" is not an image reference (<registry>/<repository>[:tag|@digest])`);
    }
    return { registry: registry === 'docker.io' ? DOCKER_HUB : registry, repository, reference };
}
/** True for hosts on this machine (where registries are served over plain HTTP, as Docker allows). */
function isLoopbackHost(host) {
    const bracketed = /^\[(.*)\](:\d+)?$/.exec(host);
    const name = bracketed ? bracketed[1] : host.replace(/:\d+$/, '');
    return name === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(name) || name === '::1';
}
/** `http(s)://host[:port]` → `{host, url}`; a bare host gets https, or http on loopback. */
function registryEndpoint(value) {
    const trimmed = value.trim().replace(/\/+$/, '');
    const m = /^(https?):\/\/([^/]+)$/.exec(trimmed);
    if (m)
        return { host: m[2], url: `${m[1]}://${m[2]}` };
    if (!/^[A-Za-z0-9.-]+(:\d+)?$|^\[[0-9a-fA-F:]+\](:\d+)?$/.test(trimmed)) {
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`"${value}" is not a registry host (host[:port], or http(s)://host[:port])`);
    }
    return { host: trimmed, url: `${isLoopbackHost(trimmed) ? 'http' : 'https'}://${trimmed}` };
}
function sha256Digest(data) {
    return `sha256:${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(data).digest('hex')}`;
}
/** `Bearer realm="https://x/token",service="x",scope="repository:a:pull"` → parts. */
function parseChallenge(header) {
    if (!header)
        return undefined;
    const m = /^\s*(\w+)\s*(.*)$/s.exec(header);
    if (!m)
        return undefined;
    const scheme = m[1].toLowerCase();
    if (scheme !== 'basic' && scheme !== 'bearer')
        return undefined;
    const params = {};
    const re = /(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
    for (let p = re.exec(m[2]); p; p = re.exec(m[2]))
        params[p[1].toLowerCase()] = (p[2] ?? p[3] ?? '').replace(/\\(.)/g, '$1');
    return { scheme, params };
}
function emptyStats() {
    return { blobsUploaded: 0, bytesUploaded: 0, blobsMounted: 0, blobsPresent: 0, manifestsPut: 0, bytesDownloaded: 0 };
}
class RegistryError extends _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l {
    status;
    code;
    constructor(message, status, code) {
        super(message);
        this.status = status;
        this.code = code;
    }
}
class RegistryClient {
    host;
    url;
    stats = emptyStats();
    credentials;
    userAgent;
    /** Authorization header per scope, learned from challenges. */
    auth = new Map();
    basicKnown = false;
    constructor(options) {
        const endpoint = registryEndpoint(options.registry);
        this.host = endpoint.host;
        this.url = endpoint.url;
        this.credentials = options.credentials;
        this.userAgent = options.userAgent ?? 'kedro-aws-action';
    }
    basicHeader() {
        if (!this.credentials)
            return undefined;
        return `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}`;
    }
    async token(challenge, scope) {
        const realm = challenge.params.realm;
        if (!realm)
            throw new _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`${this.host} asked for a Bearer token but named no realm to get it from`);
        const url = new URL(realm);
        if (challenge.params.service)
            url.searchParams.set('service', challenge.params.service);
        url.searchParams.set('scope', challenge.params.scope ?? scope);
        const headers = { 'User-Agent': this.userAgent };
        const basic = this.basicHeader();
        if (basic)
            headers.Authorization = basic;
        const res = await fetch(url, { headers });
        const text = await res.text();
        if (!res.ok) {
            throw new _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`${this.host}: the token service ${url.origin}${url.pathname} refused ${basic ? 'the credentials' : 'an anonymous pull'} ` +
                `for ${scope} (HTTP ${res.status}): ${text.slice(0, 300)}`);
        }
        const parsed = JSON.parse(text);
        const token = parsed.token ?? parsed.access_token;
        if (!token)
            throw new _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`${this.host}: the token service answered without a token`);
        return token;
    }
    /**
     * fetch, again after a network error or a 429/5xx answer for the methods that can be sent twice
     * (GET, HEAD, PUT); an upload (POST, PATCH) is retried whole by pushBlob.
     */
    async fetchWithRetries(method, url, init) {
        const retryable = method === 'GET' || method === 'HEAD' || method === 'PUT';
        for (let attempt = 1;; attempt++) {
            const last = !retryable || attempt >= MAX_ATTEMPTS;
            let res;
            try {
                res = await fetch(url, init);
            }
            catch (error) {
                if (last) {
                    const cause = error.cause;
                    throw new RegistryError(`${this.host}: ${method} ${new URL(url).pathname} could not reach the registry (${cause?.code ?? cause?.message ?? error.message})`, 0, cause?.code);
                }
                await sleep(RETRY_DELAY_MS * 2 ** (attempt - 1));
                continue;
            }
            if (last || !RETRY_STATUSES.has(res.status))
                return res;
            await res.arrayBuffer().catch(() => undefined);
            await sleep(RETRY_DELAY_MS * 2 ** (attempt - 1));
        }
    }
    /** One request, answering the registry's auth challenge once. */
    async request(method, pathOrUrl, options) {
        const scope = `repository:${options.repository}:${options.push ? 'pull,push' : 'pull'}`;
        const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${this.url}${pathOrUrl}`;
        const send = (authorization) => this.fetchWithRetries(method, url, {
            method,
            headers: {
                'User-Agent': this.userAgent,
                ...options.headers,
                ...(authorization ? { Authorization: authorization } : {}),
            },
            body: options.body,
            redirect: 'follow',
        });
        let authorization = this.auth.get(scope) ?? (this.basicKnown ? this.basicHeader() : undefined);
        let res = await send(authorization);
        if (res.status === 401) {
            const challenge = parseChallenge(res.headers.get('www-authenticate'));
            await res.arrayBuffer().catch(() => undefined);
            if (!challenge)
                throw new RegistryError(`${this.host}: ${method} ${new URL(url).pathname} was refused (HTTP 401) without a challenge`, 401, undefined);
            if (challenge.scheme === 'basic') {
                authorization = this.basicHeader();
                if (!authorization) {
                    throw new RegistryError(`${this.host} asks for a user and password (Basic auth) and none was given`, 401, 'UNAUTHORIZED');
                }
                this.basicKnown = true;
            }
            else {
                authorization = `Bearer ${await this.token(challenge, scope)}`;
                this.auth.set(scope, authorization);
            }
            res = await send(authorization);
        }
        const accepted = options.accept ?? [];
        if (!res.ok && !accepted.includes(res.status)) {
            const text = await res.text().catch(() => '');
            let code;
            let detail = text.slice(0, 300);
            try {
                const err = JSON.parse(text).errors?.[0];
                if (err) {
                    code = err.code;
                    detail = `${err.code ?? ''} ${err.message ?? ''}`.trim();
                }
            }
            catch {
                // not JSON
            }
            const hint = res.status === 401 || res.status === 403 ? ' (check the registry credentials)' : '';
            throw new RegistryError(`${this.host}: ${method} ${new URL(url).pathname} failed (HTTP ${res.status}): ${detail}${hint}`, res.status, code);
        }
        return res;
    }
    /** GET a manifest or index, checking its digest when it was asked by digest. */
    async getManifest(repository, reference) {
        const res = await this.request('GET', `/v2/${repository}/manifests/${reference}`, {
            repository,
            headers: { Accept: MANIFEST_ACCEPT },
        });
        const bytes = Buffer.from(await res.arrayBuffer());
        const digest = sha256Digest(bytes);
        if (reference.startsWith('sha256:') && reference !== digest) {
            throw new _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`${this.host}/${repository}: the manifest served for ${reference} has digest ${digest}`);
        }
        const json = JSON.parse(bytes.toString('utf8'));
        const mediaType = json.mediaType ?? res.headers.get('content-type')?.split(';')[0] ?? MEDIA.ociManifest;
        return { mediaType, digest, bytes, json };
    }
    /** The digest a tag or digest resolves to, or undefined when the registry has no such manifest. */
    async headManifest(repository, reference) {
        const res = await this.request('HEAD', `/v2/${repository}/manifests/${reference}`, {
            repository,
            headers: { Accept: MANIFEST_ACCEPT },
            accept: [404],
        });
        if (res.status === 404)
            return undefined;
        const digest = res.headers.get('docker-content-digest');
        if (digest)
            return digest;
        // A registry that does not say: GET it.
        return (await this.getManifest(repository, reference)).digest;
    }
    /** The blob's bytes, checked against its digest. */
    async getBlob(repository, digest) {
        const res = await this.request('GET', `/v2/${repository}/blobs/${digest}`, { repository });
        const bytes = Buffer.from(await res.arrayBuffer());
        const actual = sha256Digest(bytes);
        if (actual !== digest)
            throw new _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`${this.host}/${repository}: blob ${digest} arrived with digest ${actual}`);
        this.stats.bytesDownloaded += bytes.length;
        return bytes;
    }
    async hasBlob(repository, digest) {
        const res = await this.request('HEAD', `/v2/${repository}/blobs/${digest}`, { repository, accept: [404] });
        return res.status !== 404;
    }
    /**
     * Sends one blob unless the repository has it: HEAD, then a mount from `mountFrom` (same registry),
     * then POST + PATCH + PUT. `read` is called only when the bytes must travel.
     */
    async pushBlob(repository, digest, read, mountFrom) {
        if (await this.hasBlob(repository, digest)) {
            this.stats.blobsPresent++;
            return 'present';
        }
        for (let attempt = 1;; attempt++) {
            try {
                return await this.uploadBlob(repository, digest, read, mountFrom);
            }
            catch (error) {
                // An answer that will not change (4xx, a wrong digest) is final; a dropped connection or a 5xx is not.
                const status = error instanceof RegistryError ? error.status : -1;
                if (attempt >= MAX_ATTEMPTS || !(status === 0 || RETRY_STATUSES.has(status)))
                    throw error;
                await sleep(RETRY_DELAY_MS * 2 ** (attempt - 1));
            }
        }
    }
    async uploadBlob(repository, digest, read, mountFrom) {
        let location;
        if (mountFrom && mountFrom !== repository) {
            const mount = await this.request('POST', `/v2/${repository}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(mountFrom)}`, { repository, push: true, headers: { 'Content-Length': '0' } });
            await mount.arrayBuffer();
            if (mount.status === 201) {
                this.stats.blobsMounted++;
                return 'mounted';
            }
            location = mount.headers.get('location') ?? undefined;
        }
        if (!location) {
            const start = await this.request('POST', `/v2/${repository}/blobs/uploads/`, {
                repository,
                push: true,
                headers: { 'Content-Length': '0' },
            });
            await start.arrayBuffer();
            location = start.headers.get('location') ?? undefined;
            if (!location)
                throw new _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`${this.host}/${repository}: the registry started an upload without a Location`);
        }
        const data = await read();
        const actual = sha256Digest(data);
        if (actual !== digest)
            throw new _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`blob ${digest} to push has digest ${actual}: the build cache is corrupt; delete it`);
        const patch = await this.request('PATCH', new URL(location, this.url).toString(), {
            repository,
            push: true,
            headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(data.length) },
            body: data,
        });
        await patch.arrayBuffer();
        const next = new URL(patch.headers.get('location') ?? location, this.url);
        next.searchParams.set('digest', digest);
        const put = await this.request('PUT', next.toString(), {
            repository,
            push: true,
            headers: { 'Content-Length': '0' },
        });
        await put.arrayBuffer();
        this.stats.blobsUploaded++;
        this.stats.bytesUploaded += data.length;
        return 'uploaded';
    }
    /** PUT a manifest under a tag or its digest; returns the digest the registry gives it. */
    async putManifest(repository, reference, mediaType, bytes) {
        const res = await this.request('PUT', `/v2/${repository}/manifests/${reference}`, {
            repository,
            push: true,
            headers: { 'Content-Type': mediaType, 'Content-Length': String(bytes.length) },
            body: bytes,
        });
        await res.arrayBuffer();
        this.stats.manifestsPut++;
        this.stats.bytesUploaded += bytes.length;
        return res.headers.get('docker-content-digest') ?? sha256Digest(bytes);
    }
}
function isIndex(m) {
    return (m.mediaType === MEDIA.ociIndex ||
        m.mediaType === MEDIA.dockerList ||
        Array.isArray(m.json.manifests));
}
/** The manifest of `ref` for `os/architecture`, through an index when the reference names one. */
async function resolveImage(client, repository, reference, platform) {
    const top = await client.getManifest(repository, reference);
    if (!isIndex(top))
        return { manifest: top.json, mediaType: top.mediaType, digest: top.digest };
    const entry = top.json.manifests.find((d) => d.platform?.os === platform.os && d.platform?.architecture === platform.architecture);
    if (!entry) {
        const has = top.json.manifests
            .map((d) => `${d.platform?.os ?? '?'}/${d.platform?.architecture ?? '?'}`)
            .filter((p) => p !== 'unknown/unknown');
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`${client.host}/${repository}:${reference} has no image for ${platform.os}/${platform.architecture} (it has ${has.join(', ') || 'none'})`);
    }
    const picked = await client.getManifest(repository, entry.digest);
    if (isIndex(picked))
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`${client.host}/${repository}@${entry.digest} is an index inside an index`);
    return {
        manifest: picked.json,
        mediaType: picked.mediaType,
        digest: picked.digest,
        indexDigest: top.digest,
    };
}


/***/ }),

/***/ 9375:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Pc: () => (/* binding */ normalizeName),
/* harmony export */   YJ: () => (/* binding */ readZipEntries),
/* harmony export */   rN: () => (/* binding */ readWheelMetadata),
/* harmony export */   xV: () => (/* binding */ requirementName)
/* harmony export */ });
/* unused harmony export parseMetadata */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8522);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_zlib__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _lib_errors__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7268);
/**
 * What the image needs to know of the project's wheel: its name, version and requirements, read from
 * `<name>-<version>.dist-info/METADATA` inside the wheel (a zip). The zip reader is the least that
 * reads one member (central directory, stored or deflated), with Node's zlib only.
 */



/** The names and bytes of a zip's members, read lazily. */
function readZipEntries(zip) {
    // End of central directory: signature 0x06054b50, within the last 64 KiB + 22 bytes.
    let eocd = -1;
    for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65557); i--) {
        if (zip.readUInt32LE(i) === 0x06054b50) {
            eocd = i;
            break;
        }
    }
    if (eocd < 0)
        throw new Error('not a zip file (no end of central directory)');
    const count = zip.readUInt16LE(eocd + 10);
    let offset = zip.readUInt32LE(eocd + 16);
    const entries = new Map();
    for (let n = 0; n < count; n++) {
        if (zip.readUInt32LE(offset) !== 0x02014b50)
            throw new Error('corrupt zip central directory');
        const method = zip.readUInt16LE(offset + 10);
        const compressedSize = zip.readUInt32LE(offset + 20);
        const nameLength = zip.readUInt16LE(offset + 28);
        const extraLength = zip.readUInt16LE(offset + 30);
        const commentLength = zip.readUInt16LE(offset + 32);
        const localOffset = zip.readUInt32LE(offset + 42);
        const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
        entries.set(name, () => {
            if (zip.readUInt32LE(localOffset) !== 0x04034b50)
                throw new Error(`corrupt zip member ${name}`);
            const start = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
            const data = zip.subarray(start, start + compressedSize);
            if (method === 0)
                return Buffer.from(data);
            if (method === 8)
                return node_zlib__WEBPACK_IMPORTED_MODULE_1__.inflateRawSync(data);
            throw new Error(`zip member ${name} uses compression method ${method}, which is not supported`);
        });
        offset += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
}
/** Parses METADATA (RFC 822 style headers; the body after the first blank line is the description). */
function parseMetadata(text) {
    const headerText = text.split(/\r?\n\r?\n/)[0] ?? '';
    const headers = [];
    for (const line of headerText.split(/\r?\n/)) {
        if (/^[ \t]/.test(line) && headers.length)
            headers[headers.length - 1][1] += ` ${line.trim()}`;
        else {
            const colon = line.indexOf(':');
            if (colon > 0)
                headers.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
        }
    }
    const one = (key) => headers.find(([k]) => k === key)?.[1];
    const requirements = headers
        .filter(([k]) => k === 'requires-dist')
        .map(([, v]) => v)
        .filter((req) => !/;.*\bextra\s*==/.test(req));
    return {
        name: one('name') ?? '',
        version: one('version') ?? '',
        requirements,
        requiresPython: one('requires-python'),
    };
}
/** The distribution's name as a requirement line starts it: `pandas>=2; python_version>"3"` → `pandas`. */
function requirementName(requirement) {
    return (/^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(requirement)?.[1] ?? requirement).trim();
}
/** PEP 503 normalised name (`Foo_Bar.baz` → `foo-bar-baz`). */
function normalizeName(name) {
    return name.toLowerCase().replace(/[-_.]+/g, '-');
}
function readWheelMetadata(wheel) {
    if (!node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync(wheel))
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_2__/* .ActionError */ .l(`the wheel ${wheel} does not exist; run mode "package" again`);
    let entries;
    try {
        entries = readZipEntries(node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync(wheel));
    }
    catch (error) {
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_2__/* .ActionError */ .l(`the wheel ${wheel} cannot be read: ${error.message}`);
    }
    const metadata = [...entries.keys()].filter((n) => /^[^/]+\.dist-info\/METADATA$/.test(n));
    if (metadata.length !== 1) {
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_2__/* .ActionError */ .l(`the wheel ${wheel} has ${metadata.length} .dist-info/METADATA files; expected one (is it a wheel from "kedro package"?)`);
    }
    return parseMetadata(entries.get(metadata[0])().toString('utf8'));
}


/***/ }),

/***/ 9518:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Dh: () => (/* binding */ ownerTags),
/* harmony export */   Yq: () => (/* binding */ loadPlan),
/* harmony export */   dj: () => (/* binding */ canonicalJson),
/* harmony export */   gF: () => (/* binding */ logSchedule),
/* harmony export */   gd: () => (/* binding */ stageTags),
/* harmony export */   kF: () => (/* binding */ kedroRunId),
/* harmony export */   mw: () => (/* binding */ required),
/* harmony export */   tY: () => (/* binding */ stageRecords),
/* harmony export */   xQ: () => (/* binding */ sameParams),
/* harmony export */   yv: () => (/* binding */ originOf)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7484);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(_actions_core__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _kedro_export__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2418);
/* harmony import */ var _lib_errors__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7268);
/* harmony import */ var _plan_planner__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3715);
/* harmony import */ var _verify_records__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(1127);
/* harmony import */ var _state__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(9186);
/** What several modes need: the plan of an earlier `package`, and values an earlier mode left. */







/** A value from an input or the state file, or an error that says where it should have come from. */
function required(ctx, key, producedBy) {
    const value = ctx.get(key);
    if (!value) {
        // Only a key that is also an input is named as one; the others are the action's own (state.ts).
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_3__/* .ActionError */ .l((0,_state__WEBPACK_IMPORTED_MODULE_6__/* .isInputBacked */ .nR)(key)
            ? `no "${key}": run ${producedBy} earlier in this job (same stage "${ctx.inputs.stage}"), or give the "${key}" input`
            : `no ${key} record for stage "${ctx.inputs.stage}" in this job: run ${producedBy} earlier in this job, with the same stage`);
    }
    return value;
}
/** plan.json from `package` (state or input), planned again for this stage and these settings. */
function loadPlan(ctx) {
    const file = required(ctx, 'plan', 'mode "package"');
    if (!node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync(file))
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_3__/* .ActionError */ .l(`the plan file ${file} does not exist; run mode "package" again`);
    const plan = (0,_kedro_export__WEBPACK_IMPORTED_MODULE_2__/* .readExportResult */ .YI)(file, 0);
    const deployment = (0,_plan_planner__WEBPACK_IMPORTED_MODULE_4__/* .buildPlan */ .G)(plan, { stage: ctx.inputs.stage, groupSettings: targetSettings(ctx) });
    return { plan, deployment };
}
/** JSON with the keys of every object sorted: equal for equal values, whatever the key order. */
function canonicalJson(value) {
    const sort = (v) => Array.isArray(v)
        ? v.map(sort)
        : v && typeof v === 'object'
            ? Object.fromEntries(Object.keys(v)
                .sort()
                .map((k) => [k, sort(v[k])]))
            : v;
    return JSON.stringify(sort(value));
}
/** Two sets of runtime params are the same when they are equal as values (key order and formatting aside). */
function sameParams(a, b) {
    return canonicalJson(a ?? {}) === canonicalJson(b ?? {});
}
/** A run id in Kedro's version format (what generate_timestamp gives), so "latest" sorting still works. */
function kedroRunId(now) {
    return now.toISOString().replace(/:/g, '.');
}
/** Says which waits the definition added where the group graph is not series-parallel, one line per reason. */
function logSchedule(built) {
    if (built.fallback) {
        _actions_core__WEBPACK_IMPORTED_MODULE_1__.notice(`schedule "auto" is "dag" here, not "exact": ${built.fallback.join(' ')} ` +
            'Fix that (or set schedule: dag) to silence this notice.');
    }
    else if (built.schedule === 'exact' && built.stats.gates > 0) {
        _actions_core__WEBPACK_IMPORTED_MODULE_1__.info(`  schedule exact: ${built.stats.gates} gate(s), each group starts when its last dependency ends ` +
            "(the groups' roles need states:SendTaskSuccess)");
    }
    const byReason = new Map();
    for (const sync of built.stats.syncPoints) {
        byReason.set(sync.reason, [...(byReason.get(sync.reason) ?? []), `${sync.waiter} after ${sync.waitsFor}`]);
    }
    for (const [reason, waits] of byReason) {
        const shown = waits.slice(0, 10).join(', ') + (waits.length > 10 ? `, and ${waits.length - 10} more` : '');
        _actions_core__WEBPACK_IMPORTED_MODULE_1__.info(`  added wait(s) ${shown}: ${reason}`);
    }
}
/**
 * The `group-settings` input, with `compute: batch` as the default of every group for target batch (the
 * Lambda limits then do not apply); a group's own setting still wins.
 */
function targetSettings(ctx) {
    const given = (ctx.inputs.groupSettings ?? {});
    if (ctx.inputs.target !== 'batch')
        return ctx.inputs.groupSettings;
    return { ...given, defaults: { compute: 'batch', ...given.defaults } };
}
/** Tags every resource of a stage carries. */
function stageTags(ctx, deployment) {
    return {
        'kedro-aws:project': deployment.project,
        'kedro-aws:stage': deployment.stage,
        'kedro-aws:git-sha': ctx.env.GITHUB_SHA ?? 'local',
    };
}
/** The tags that say a resource belongs to this project and stage (not the SHA, which moves). */
function ownerTags(deployment) {
    return { 'kedro-aws:project': deployment.project, 'kedro-aws:stage': deployment.stage };
}
/** Where this stage's run records are: the root (input `run-records`, or the outputs' bucket) and the stage's URL. */
function stageRecords(ctx, { plan, deployment }) {
    const root = (0,_verify_records__WEBPACK_IMPORTED_MODULE_5__/* .recordsRoot */ .xi)(plan, ctx.inputs.runRecords);
    return { root, url: (0,_verify_records__WEBPACK_IMPORTED_MODULE_5__/* .stageRecordsUrl */ .Kb)(root, deployment.project, deployment.stage) };
}
/** Where a run or a deploy came from, as records keep it: the workflow run (when there is one) and the commit. */
function originOf(ctx) {
    const { env } = ctx;
    const origin = {};
    if (env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID) {
        origin.workflow_run_url = `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
        if (env.GITHUB_RUN_ATTEMPT)
            origin.workflow_run_url += `/attempts/${env.GITHUB_RUN_ATTEMPT}`;
    }
    if (env.GITHUB_SHA)
        origin.sha = env.GITHUB_SHA;
    return origin;
}


/***/ }),

/***/ 9330:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ht: () => (/* binding */ imagePlatform),
/* harmony export */   cd: () => (/* binding */ checkImage),
/* harmony export */   zo: () => (/* binding */ recordPlatform)
/* harmony export */ });
/* unused harmony exports ecrRegistryId, readImageConfig */
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7484);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(_actions_core__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _aws_clients__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(201);
/* harmony import */ var _aws_ecr__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8663);
/* harmony import */ var _build_provenance__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8461);
/* harmony import */ var _build_registry__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(585);
/* harmony import */ var _inputs__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(9901);
/* harmony import */ var _inputs_table__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(1926);
/* harmony import */ var _lib_errors__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(7268);
/* harmony import */ var _state__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(9186);
/**
 * The image `deploy` is given, read back from its registry: its labels must say it was built from the
 * package of this step (src/build/provenance.ts), or a fixed `image-uri` would silently run old code;
 * and its config says its architecture, which the Lambda functions must have.
 *
 * The registry is asked as `build` asks it: ECR's login (GetAuthorizationToken) for an ECR host, for the
 * `registry` input's host or for a registry on loopback (an emulator's); anonymously anywhere else, so
 * ECR's token never goes to another registry.
 */










/** `<account>.dkr.ecr.<region>.amazonaws.com[.cn]` → the account (the registry id). */
function ecrRegistryId(host) {
    return /^(\d{12})\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$/.exec(host)?.[1];
}
function recordPlatform(ctx, image, platform) {
    ctx.remember({ [_state__WEBPACK_IMPORTED_MODULE_9__/* .STATE */ .c4.imagePlatform]: JSON.stringify({ image, platform }) });
}
/**
 * The platform to deploy `image` with: what the state recorded for that very image (its config, or the
 * build that made it), else the `platform` input.
 */
function imagePlatform(ctx, image) {
    try {
        const recorded = JSON.parse(ctx.get(_state__WEBPACK_IMPORTED_MODULE_9__/* .STATE */ .c4.imagePlatform) ?? '');
        if (recorded.image === image && _inputs_table__WEBPACK_IMPORTED_MODULE_7__/* .PLATFORMS */ .P4.includes(String(recorded.platform)))
            return recorded.platform;
    }
    catch {
        // nothing recorded
    }
    return ctx.inputs.platform;
}
/** The config of `imageUri` (for `platform` when it names an index), from its registry. */
async function readImageConfig(ctx, imageUri, platform) {
    const ref = (0,_build_registry__WEBPACK_IMPORTED_MODULE_5__/* .parseImageRef */ .Q)(imageUri);
    const override = ctx.inputs.registry ? (0,_build_registry__WEBPACK_IMPORTED_MODULE_5__/* .registryEndpoint */ .Fh)(ctx.inputs.registry) : undefined;
    const registryId = ecrRegistryId(ref.registry);
    const ours = registryId !== undefined || override?.host === ref.registry || (0,_build_registry__WEBPACK_IMPORTED_MODULE_5__/* .isLoopbackHost */ .cW)(ref.registry);
    let credentials;
    if (ours) {
        const ecr = (0,_aws_ecr__WEBPACK_IMPORTED_MODULE_3__/* .ecrClient */ .GD)({
            region: (0,_aws_clients__WEBPACK_IMPORTED_MODULE_2__/* .resolveRegion */ .Zv)(ctx.inputs.awsRegion, ctx.env),
            maxAttempts: ctx.inputs.maxRetries,
            credentials: ctx.credentials(),
            env: ctx.env,
        });
        const login = await (0,_aws_ecr__WEBPACK_IMPORTED_MODULE_3__/* .registryLogin */ .j8)(ecr, registryId);
        credentials = { username: login.username, password: login.password };
    }
    const client = new _build_registry__WEBPACK_IMPORTED_MODULE_5__/* .RegistryClient */ .bP({
        registry: override?.host === ref.registry ? override.url : (0,_build_registry__WEBPACK_IMPORTED_MODULE_5__/* .registryEndpoint */ .Fh)(ref.registry).url,
        credentials,
    });
    const arch = platform === 'linux/arm64' ? 'arm64' : 'amd64';
    const resolved = await (0,_build_registry__WEBPACK_IMPORTED_MODULE_5__/* .resolveImage */ .AT)(client, ref.repository, ref.reference, { os: 'linux', architecture: arch });
    const config = JSON.parse((await client.getBlob(ref.repository, resolved.manifest.config.digest)).toString('utf8'));
    const found = `linux/${config.architecture}`;
    return {
        labels: config.config?.Labels ?? {},
        platform: _inputs_table__WEBPACK_IMPORTED_MODULE_7__/* .PLATFORMS */ .P4.includes(found) ? found : undefined,
        architecture: config.architecture,
    };
}
/**
 * Before deploy changes anything: the image must be built from this step's package (its wheel and the
 * conf of its env), unless `allow-image-mismatch`. Records the image's platform for the functions.
 */
async function checkImage(ctx, { deployment }) {
    const imageUri = ctx.get(_state__WEBPACK_IMPORTED_MODULE_9__/* .STATE */ .c4.imageUri);
    if (!imageUri)
        return; // the backend says what is missing
    if (ctx.inputs.allowImageMismatch) {
        _actions_core__WEBPACK_IMPORTED_MODULE_1__.info(`Image ${imageUri} not compared with the package (input "${_inputs__WEBPACK_IMPORTED_MODULE_6__/* .INPUT */ .bO.allowImageMismatch}")`);
        return;
    }
    const wheel = ctx.get(_state__WEBPACK_IMPORTED_MODULE_9__/* .STATE */ .c4.wheel);
    const confArchive = ctx.get(_state__WEBPACK_IMPORTED_MODULE_9__/* .STATE */ .c4.confArchive);
    if (!wheel && !confArchive) {
        _actions_core__WEBPACK_IMPORTED_MODULE_1__.info(`Image ${imageUri} not compared with a package: this job has no "${_inputs__WEBPACK_IMPORTED_MODULE_6__/* .INPUT */ .bO.wheel}" nor "${_inputs__WEBPACK_IMPORTED_MODULE_6__/* .INPUT */ .bO.confArchive}" ` +
            '(run mode "package" earlier in the job to have it compared)');
        return;
    }
    const expected = {
        ...(wheel ? { wheel: (0,_build_provenance__WEBPACK_IMPORTED_MODULE_4__/* .wheelDigest */ .c3)(wheel) } : {}),
        ...(confArchive
            ? { conf: await (0,_build_provenance__WEBPACK_IMPORTED_MODULE_4__/* .confDigest */ .v)(confArchive, deployment.env, node_path__WEBPACK_IMPORTED_MODULE_0__.join(ctx.workDir, 'deploy-conf')) }
            : {}),
        env: deployment.env,
    };
    let config;
    try {
        config = await readImageConfig(ctx, imageUri, imagePlatform(ctx, imageUri));
    }
    catch (error) {
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_8__/* .ActionError */ .l(`cannot read the image ${imageUri} from its registry to compare it with this step's package: ` +
            `${error.message}. Give an image the registry serves (input "${_inputs__WEBPACK_IMPORTED_MODULE_6__/* .INPUT */ .bO.imageUri}"), or set ` +
            `"${_inputs__WEBPACK_IMPORTED_MODULE_6__/* .INPUT */ .bO.allowImageMismatch}: true" to deploy it without the comparison.`);
    }
    const differences = (0,_build_provenance__WEBPACK_IMPORTED_MODULE_4__/* .provenanceDifferences */ .qh)(config.labels, expected);
    if (differences.length) {
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_8__/* .ActionError */ .l(`the image ${imageUri} was not built from the package of this step: ${differences.join('; ')}. ` +
            `Deploying it would run other code or conf than "package" just made. Run mode "build" after "package" ` +
            `(or give "${_inputs__WEBPACK_IMPORTED_MODULE_6__/* .INPUT */ .bO.imageUri}" the image it built from this package), or set "${_inputs__WEBPACK_IMPORTED_MODULE_6__/* .INPUT */ .bO.allowImageMismatch}: true" ` +
            'to deploy it anyway.');
    }
    _actions_core__WEBPACK_IMPORTED_MODULE_1__.info(`Image ${imageUri} was built from this step's package (wheel ${config.labels[_build_provenance__WEBPACK_IMPORTED_MODULE_4__/* .LABEL */ .d_.wheel]}, conf of env ` +
        `"${deployment.env}" ${config.labels[_build_provenance__WEBPACK_IMPORTED_MODULE_4__/* .LABEL */ .d_.conf]}), for ${config.platform ?? `architecture ${config.architecture}`}`);
    if (!config.platform) {
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_8__/* .ActionError */ .l(`the image ${imageUri} is for architecture ${config.architecture ?? 'unknown'}; Lambda and Batch run linux/amd64 or linux/arm64`);
    }
    recordPlatform(ctx, imageUri, config.platform);
}


/***/ }),

/***/ 9413:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   a: () => (/* binding */ OUTPUT)
/* harmony export */ });
/* harmony import */ var _lib_keys__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(863);
/** Output names, spelled once (action.yml lists the same; a test keeps them equal): `OUTPUT.confArchive` is `'conf-archive'`. */

const OUTPUT = (0,_lib_keys__WEBPACK_IMPORTED_MODULE_0__/* .keyed */ .D)([
    'wheel',
    'conf-archive',
    'plan',
    'requirements-lock',
    'scaffold',
    'groups',
    'state-machine-arn',
    'state-machine-version-arn',
    'lambda-function-arns',
    'execution-arn',
    'run-id',
    'status',
    'verified',
    'report',
    'image-uri',
    'image-digest',
    'platform',
    'job-definition-arn',
    'batch-job-ids',
]);


/***/ }),

/***/ 3781:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  j9: () => (/* binding */ deactivateDeployments),
  On: () => (/* binding */ markDeploymentFailed),
  S3: () => (/* binding */ publishReport),
  F3: () => (/* binding */ trackDeployment)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js
var core = __webpack_require__(7484);
// EXTERNAL MODULE: ./src/report/format.ts
var format = __webpack_require__(2011);
// EXTERNAL MODULE: ./src/report/markdown.ts
var markdown = __webpack_require__(4285);
// EXTERNAL MODULE: ./src/report/mermaid.ts
var mermaid = __webpack_require__(9409);
;// CONCATENATED MODULE: ./src/report/graph.ts
/**
 * The group graph alone, as the job summary draws it (a mermaid `flowchart LR` coloured by status), for
 * places that show less than the summary: the pull-request comment. Pure. Built from the same pieces as
 * src/report/summary.ts (renderFlowchart, the same icons and limits); the summary itself is unchanged.
 */


/** The icon of a group's status; PENDING on a finished run means "not run". */
function groupStatusIcon(status, runFinished) {
    switch (status) {
        case 'SUCCEEDED':
            return '✅';
        case 'FAILED':
            return '❌';
        case 'RUNNING':
            return '🔄';
        case 'SKIPPED':
            return '⏭️';
        case 'PENDING':
            return runFinished ? '⏸️' : '⏳';
    }
}
/**
 * The graph as a fenced mermaid block, or undefined when there are no groups or it is too large for
 * GitHub's mermaid (the caller then shows the groups as a list).
 */
function renderGroupGraph(report) {
    if (report.groups.length === 0)
        return undefined;
    const index = new Map();
    report.groups.forEach((g, i) => {
        if (!index.has(g.name))
            index.set(g.name, i);
    });
    const runFinished = report.status !== 'RUNNING';
    const chart = (0,mermaid/* renderFlowchart */.Hm)(report.groups.map((g) => ({
        label: `${groupStatusIcon(g.status, runFinished)} ${g.name}`,
        status: g.status,
        dependsOn: g.dependencies.flatMap((d) => {
            const i = index.get(d);
            return i === undefined ? [] : [i];
        }),
    })));
    if (chart.edges > mermaid/* MERMAID_LIMITS */.v7.maxEdges || chart.text.length > mermaid/* MERMAID_LIMITS */.v7.maxChars)
        return undefined;
    return (0,markdown/* fencedBlock */.zW)(chart.text, 'mermaid');
}

// EXTERNAL MODULE: ./src/report/summary.ts
var summary = __webpack_require__(7994);
// EXTERNAL MODULE: ./src/github/context.ts
var context = __webpack_require__(9556);
;// CONCATENATED MODULE: ./src/github/comment.ts
/**
 * The sticky pull-request comment: one comment per stage, found again by a hidden marker and updated on
 * every push, never duplicated. It is short (verdict, group graph, durations, outputs verified and those
 * not checked, links, the failure); the details are in the job summary it links to.
 */






/** The hidden marker that finds the comment of a stage again (an HTML comment: not shown). */
function commentMarker(stage) {
    // `--` and `>` cannot end the HTML comment early: stage names are [a-z0-9-], but be safe.
    return `<!-- kedro-aws-action:stage=${stage.replace(/-{2,}/g, '-').replace(/[<>\s]/g, '')} -->`;
}
/** Most groups listed with their durations; the rest are counted. */
const COMMENT_MAX_GROUPS = 15;
/**
 * Most outputs listed under "Not checked" (the rest are counted; the job summary lists more). GitHub
 * refuses a comment body of more than 65,536 characters (422 "body is too long").
 */
const COMMENT_MAX_UNCHECKED = 10;
/** Most lines of a failure's cause shown. */
const COMMENT_CAUSE_LINES = { maxLines: 15, headLines: 5, maxChars: 1500, maxLineChars: 200 };
/**
 * The comment for a run (markdown, without the marker: upsertRunComment adds it). Pure.
 * `summaryUrl`: the workflow run's page, where the job summary and the logs are.
 */
function renderRunComment(report, summaryUrl) {
    const verdict = (0,summary/* summaryVerdict */.YN)(report);
    const lines = [
        `### ${verdict.icon} ${(0,markdown/* escapeText */.X1)(report.project)} · ${(0,markdown/* code */.aY)(report.stage)}: ${verdict.reason}`,
        '',
    ];
    const facts = [`Run ${(0,markdown/* code */.aY)(report.runId)}`];
    if (report.execution) {
        const name = report.execution.arn.split(':').pop() ?? report.execution.arn;
        facts.push(`execution ${(0,markdown/* link */.nf)((0,markdown/* code */.aY)(name), report.execution.consoleUrl)}`);
    }
    if (report.executor === 'local')
        facts.push('groups run locally');
    if (summaryUrl)
        facts.push((0,markdown/* link */.nf)('logs and job summary', summaryUrl));
    lines.push(facts.join(' · '));
    const failure = report.failure;
    if (failure) {
        const group = failure.group === undefined ? undefined : report.groups.find((g) => g.name === failure.group);
        const logs = failure.logs ?? group?.logs;
        const cause = (0,format/* readableCause */.wV)(failure.cause);
        const where = failure.group === undefined ? '' : ` in group ${(0,markdown/* code */.aY)(failure.group)}`;
        const message = cause.message === undefined ? '' : `: ${(0,markdown/* escapeText */.X1)((0,format/* clip */.$Q)(cause.message, 200))}`;
        lines.push('', `**❌ Failure${where}:** ${(0,markdown/* code */.aY)((0,format/* clip */.$Q)(failure.error || '(none given)', 120))}${message}`);
        if (logs)
            lines.push(`Logs: ${(0,markdown/* link */.nf)((0,markdown/* code */.aY)(logs.group), logs.url)}`);
        if (cause.text !== '') {
            const cut = (0,format/* truncateMiddle */.kU)(cause.text, COMMENT_CAUSE_LINES);
            lines.push('', (0,markdown/* details */.zH)('Cause', (0,markdown/* fencedBlock */.zW)(cut.text)));
        }
    }
    if (report.groups.length > 0) {
        const graph = renderGroupGraph(report);
        if (graph)
            lines.push('', graph);
        const runFinished = report.status !== 'RUNNING';
        const shown = report.groups.slice(0, COMMENT_MAX_GROUPS);
        const rows = shown.map((g) => [
            `${groupStatusIcon(g.status, runFinished)} ${(0,markdown/* code */.aY)(g.name)}`,
            g.status === 'RUNNING' && g.end === undefined ? 'running' : (0,format/* durationBetween */.h9)(g.start, g.end),
        ]);
        lines.push('', (0,markdown/* table */.tp)(['Group', 'Duration'], rows));
        const left = report.groups.length - shown.length;
        if (left > 0)
            lines.push('', `<sub>… and ${left} more group${left === 1 ? '' : 's'}: see the job summary.</sub>`);
    }
    const outputs = report.outputs;
    if (outputs === undefined)
        lines.push('', 'Outputs: not checked (verify did not run).');
    else {
        const ok = outputs.filter((o) => o.verdict === 'ok').length;
        const bad = outputs.filter((o) => o.verdict !== 'ok' && o.verdict !== 'local-path').length;
        const local = outputs.length - ok - bad;
        const parts = [`${ok} of ${outputs.length} verified on S3`];
        if (bad > 0)
            parts.push(`${bad} failed the check`);
        if (local > 0)
            parts.push(`${local} on a local path not checked`);
        lines.push('', `Outputs: ${parts.join(', ')}.`);
    }
    const unchecked = (0,summary/* uncheckedSection */.G3)(report.unchecked, COMMENT_MAX_UNCHECKED);
    if (unchecked)
        lines.push('', `**${unchecked.title}**`, '', unchecked.list);
    if (summaryUrl)
        lines.push('', `<sub>Details: ${(0,markdown/* link */.nf)('the job summary', summaryUrl)}.</sub>`);
    return `${lines.join('\n')}\n`;
}
/**
 * Creates the stage's comment on the pull request, or updates it when one with the stage's marker is
 * there (the oldest, if a race ever made two). A permission error (403: a fork's read-only token) gives a
 * notice and returns `skipped`; any other error is thrown.
 */
async function upsertRunComment(octokit, target) {
    const marker = commentMarker(target.stage);
    const body = `${marker}\n${target.body}`;
    const where = { owner: target.owner, repo: target.repo };
    try {
        let existing;
        const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
            ...where,
            issue_number: target.issueNumber,
            per_page: 100,
        });
        for await (const page of pages) {
            const found = page.data.find((c) => (c.body ?? '').startsWith(marker));
            if (found) {
                existing = { id: Number(found.id) };
                break;
            }
        }
        if (existing) {
            const res = await octokit.rest.issues.updateComment({ ...where, comment_id: existing.id, body });
            core.info(`Updated the pull request comment of stage ${target.stage}: ${res.data.html_url}`);
            return { action: 'updated', id: Number(res.data.id), url: res.data.html_url };
        }
        const res = await octokit.rest.issues.createComment({ ...where, issue_number: target.issueNumber, body });
        core.info(`Commented on pull request #${target.issueNumber} for stage ${target.stage}: ${res.data.html_url}`);
        return { action: 'created', id: Number(res.data.id), url: res.data.html_url };
    }
    catch (error) {
        if (!(0,context/* isPermissionError */.gj)(error))
            throw error;
        const reason = error.message;
        core.notice(`Pull request comment skipped: the token may not write to pull request #${target.issueNumber} (${reason}). ` +
            'On a pull request from a fork the token is read-only; the run is not affected.');
        return { action: 'skipped', reason };
    }
}

;// CONCATENATED MODULE: ./src/github/deployments.ts
/**
 * GitHub deployments for stages: `deploy` creates one for the stage's environment (`pr-123`, `nightly`,
 * ...) and follows it with statuses (in_progress, then success with the state machine's console URL as
 * the environment URL, or failure); `teardown` sets the stage's deployments inactive. So the pull request
 * shows "deployed to pr-123" and the repository's environments list the live stages.
 */

/** Stages of pull requests are transient: GitHub may list them as gone once a later one supersedes them. */
function isTransientStage(stage) {
    return /^pr-/.test(stage);
}
/** Creates the deployment (no merge of the default branch, no required status checks) and sets it in_progress. */
async function startDeployment(octokit, options) {
    const res = await octokit.rest.repos.createDeployment({
        owner: options.owner,
        repo: options.repo,
        ref: options.ref,
        environment: options.environment,
        description: options.description.slice(0, 140),
        auto_merge: false,
        required_contexts: [],
        transient_environment: isTransientStage(options.environment),
        production_environment: false,
    });
    // 202 answers a merge GitHub made instead of a deployment: not with auto_merge false, but be explicit.
    if (!('id' in res.data))
        throw new Error(`GitHub created no deployment: ${res.data.message ?? `status ${res.status}`}`);
    const deploymentId = Number(res.data.id);
    await octokit.rest.repos.createDeploymentStatus({
        owner: options.owner,
        repo: options.repo,
        deployment_id: deploymentId,
        state: 'in_progress',
        ...(options.logUrl ? { log_url: options.logUrl } : {}),
        description: 'Deploying',
    });
    core.info(`GitHub deployment ${deploymentId} to environment ${options.environment}: in progress`);
    return { deploymentId };
}
/** Sets the deployment's final status. On success GitHub sets the environment's earlier deployments inactive. */
async function finishDeployment(octokit, options) {
    await octokit.rest.repos.createDeploymentStatus({
        owner: options.owner,
        repo: options.repo,
        deployment_id: options.deploymentId,
        state: options.state,
        ...(options.environmentUrl ? { environment_url: options.environmentUrl } : {}),
        ...(options.logUrl ? { log_url: options.logUrl } : {}),
        description: (options.description ?? (options.state === 'success' ? 'Deployed' : 'Deploy failed')).slice(0, 140),
        ...(options.state === 'success' ? { auto_inactive: true } : {}),
    });
    core.info(`GitHub deployment ${options.deploymentId}: ${options.state}`);
}
/**
 * Sets every deployment of the stage's environment inactive (after teardown), unless already inactive.
 * Returns the ids set inactive.
 */
async function deactivateStage(octokit, options) {
    const deployments = await octokit.paginate(octokit.rest.repos.listDeployments, {
        owner: options.owner,
        repo: options.repo,
        environment: options.environment,
        per_page: 100,
    });
    const done = [];
    for (const deployment of deployments) {
        const id = Number(deployment.id);
        const latest = await octokit.rest.repos.listDeploymentStatuses({
            owner: options.owner,
            repo: options.repo,
            deployment_id: id,
            per_page: 1,
        });
        if (latest.data[0]?.state === 'inactive')
            continue;
        await octokit.rest.repos.createDeploymentStatus({
            owner: options.owner,
            repo: options.repo,
            deployment_id: id,
            state: 'inactive',
            description: 'Stage torn down',
            ...(options.logUrl ? { log_url: options.logUrl } : {}),
        });
        done.push(id);
    }
    core.info(`GitHub environment ${options.environment}: ${done.length} deployment(s) set inactive`);
    return done;
}

// EXTERNAL MODULE: ./src/lib/secrets.ts
var secrets = __webpack_require__(5714);
// EXTERNAL MODULE: ./src/context/state.ts
var state = __webpack_require__(9186);
;// CONCATENATED MODULE: ./src/context/publish.ts
/**
 * Where a run's report goes: the job summary, and on pull requests the stage's sticky comment (best
 * effort: a fork's read-only token gives a notice, never a failure); and the stage's GitHub deployment.
 * Every text published here passes the secret scrubber first (src/lib/secrets.ts): the report before
 * it is rendered (escaping could change a secret's spelling) and the rendered text again.
 */







async function publishReport(ctx, given) {
    const report = (0,secrets/* scrubDeep */.wE)(given);
    try {
        await core.summary.addRaw((0,secrets/* scrub */._I)((0,summary/* renderSummary */.Br)(report))).write();
    }
    catch (error) {
        // Outside a runner there is no summary file; the log already says everything.
        core.debug(`job summary not written: ${error.message}`);
    }
    const gh = ctx.github();
    const number = gh?.run.pullRequestNumber;
    if (!gh || !ctx.inputs.commentOnPr || number === undefined || !gh.run.owner || !gh.run.repo)
        return;
    const { owner, repo } = gh.run;
    await (0,context/* bestEffort */.z$)('Pull request comment', () => upsertRunComment(gh.octokit, {
        owner,
        repo,
        issueNumber: number,
        stage: report.stage,
        body: (0,secrets/* scrub */._I)(renderRunComment(report, gh.run.runUrl)),
    }));
}
/**
 * A GitHub deployment for the stage around `deploy`: in_progress now; `finish` sets success (with the
 * console URL as the environment URL) or failure. Its id goes in the state, so that a run of the stage
 * that fails (in this step or a later one) can mark it too ({@link markDeploymentFailed}). Does nothing
 * without a token; never fails the step.
 */
async function trackDeployment(ctx, stage, description) {
    const gh = ctx.github();
    const { owner, repo, deploymentRef, runUrl } = gh?.run ?? {};
    const started = gh && owner && repo && deploymentRef
        ? await (0,context/* bestEffort */.z$)('GitHub deployment', () => startDeployment(gh.octokit, {
            owner,
            repo,
            ref: deploymentRef,
            environment: stage,
            description: (0,secrets/* scrub */._I)(description),
            ...(runUrl ? { logUrl: runUrl } : {}),
        }))
        : undefined;
    if (started)
        ctx.remember({ [state/* STATE */.c4.deploymentId]: String(started.deploymentId) });
    return {
        finish: async (state, environmentUrl) => {
            if (!started)
                return;
            await setDeploymentStatus(ctx, started.deploymentId, state, {
                ...(environmentUrl ? { environmentUrl } : {}),
            });
        },
    };
}
/**
 * A run of the stage failed, timed out or was stopped: the stage's deployment (the one `deploy` left
 * in the state) gets a `failure` status saying so. Does nothing without one or without a token; never
 * fails the step.
 */
async function markDeploymentFailed(ctx, description) {
    const id = Number(ctx.get(state/* STATE */.c4.deploymentId));
    if (!Number.isInteger(id) || id <= 0)
        return;
    await setDeploymentStatus(ctx, id, 'failure', { description });
}
async function setDeploymentStatus(ctx, deploymentId, state, options) {
    const gh = ctx.github();
    const { owner, repo, runUrl } = gh?.run ?? {};
    if (!gh || !owner || !repo)
        return;
    await (0,context/* bestEffort */.z$)('GitHub deployment status', () => finishDeployment(gh.octokit, {
        owner,
        repo,
        deploymentId,
        state,
        ...(options.environmentUrl ? { environmentUrl: options.environmentUrl } : {}),
        ...(options.description ? { description: (0,secrets/* scrub */._I)(options.description) } : {}),
        ...(runUrl ? { logUrl: runUrl } : {}),
    }));
}
/** After teardown: the stage's deployments become inactive. */
async function deactivateDeployments(ctx, stage) {
    const gh = ctx.github();
    const { owner, repo, runUrl } = gh?.run ?? {};
    ctx.remember({ [state/* STATE */.c4.deploymentId]: undefined });
    if (!gh || !owner || !repo)
        return;
    await (0,context/* bestEffort */.z$)('GitHub deployments', () => deactivateStage(gh.octokit, { owner, repo, environment: stage, ...(runUrl ? { logUrl: runUrl } : {}) }));
}


/***/ }),

/***/ 9186:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   C7: () => (/* binding */ loadState),
/* harmony export */   Ed: () => (/* binding */ stateFile),
/* harmony export */   Hg: () => (/* binding */ workDir),
/* harmony export */   LZ: () => (/* binding */ saveState),
/* harmony export */   b3: () => (/* binding */ ensureWorkDir),
/* harmony export */   c4: () => (/* binding */ STATE),
/* harmony export */   ll: () => (/* binding */ stateFromInputs),
/* harmony export */   nR: () => (/* binding */ isInputBacked)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _inputs_table__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1926);
/* harmony import */ var _lib_files__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(228);
/* harmony import */ var _lib_keys__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(863);
/**
 * The state file: what one mode produced, handed to the next mode of the same step or of a later step
 * in the same job. It lives under $RUNNER_TEMP (one file per stage). Most values in it can also be given
 * as an input of the same name, which wins; the others are the action's own.
 */






/** State keys that are also inputs of the same name (the input wins over the state file). */
const FROM_INPUTS = [
    'wheel',
    'conf-archive',
    'plan',
    'requirements-lock',
    'image-uri',
    'state-machine-arn',
    'execution-arn',
    'run-id',
    'job-definition-arn',
];
/** State keys only the action writes (no input of that name). */
const INTERNAL = [
    /** The record of a run by the local executor (status, times, failure), for verify. */
    'local-run',
    /** The Batch job ID of each group of the run (JSON), for verify. */
    'batch-job-ids',
    /** The GitHub deployment `deploy` created for the stage, which a failed run marks `failure`. */
    'deployment-id',
    /** The platform `build` built the image for (`linux/arm64`), which `deploy` gives the functions. */
    'image-platform',
];
/** State keys, spelled once: `STATE.confArchive` is `'conf-archive'`. */
const STATE = (0,_lib_keys__WEBPACK_IMPORTED_MODULE_5__/* .keyed */ .D)([...FROM_INPUTS, ...INTERNAL]);
/** Can the user give this value as an input (of the same name)? */
function isInputBacked(key) {
    return FROM_INPUTS.includes(key);
}
/** The state values the inputs give (undefined where an input is empty): they win over the state file. */
function stateFromInputs(inputs) {
    return Object.fromEntries(FROM_INPUTS.map((key) => [key, inputs[_inputs_table__WEBPACK_IMPORTED_MODULE_3__/* .FIELD */ .b_[key]]]));
}
/** The folder where the action keeps its files for a stage (plan.json, state, reports). */
function workDir(stage, env = process.env) {
    return node_path__WEBPACK_IMPORTED_MODULE_2__.join(actionDir(env), stage);
}
/** The folder of all the action's files: `$RUNNER_TEMP/kedro-aws-action`. */
function actionDir(env) {
    const base = env.RUNNER_TEMP && env.RUNNER_TEMP !== '' ? env.RUNNER_TEMP : node_os__WEBPACK_IMPORTED_MODULE_1__.tmpdir();
    return node_path__WEBPACK_IMPORTED_MODULE_2__.join(base, 'kedro-aws-action');
}
/**
 * Creates the stage's work folder, it and the action's folder above it readable by the runner's user
 * only (0700): what is below (the state, the plan, a local run's image and records) is nobody else's.
 */
function ensureWorkDir(stage, env = process.env) {
    (0,_lib_files__WEBPACK_IMPORTED_MODULE_4__/* .privateDir */ .XK)(actionDir(env));
    return (0,_lib_files__WEBPACK_IMPORTED_MODULE_4__/* .privateDir */ .XK)(workDir(stage, env));
}
function stateFile(stage, env = process.env) {
    return node_path__WEBPACK_IMPORTED_MODULE_2__.join(workDir(stage, env), 'state.json');
}
function loadState(file) {
    if (!node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync(file))
        return {};
    const text = node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync(file, 'utf8');
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch {
        throw new Error(`the state file ${file} is not valid JSON; delete it or pass the values as inputs`);
    }
    const state = {};
    const known = new Set(Object.values(STATE));
    if (parsed && typeof parsed === 'object') {
        for (const [k, v] of Object.entries(parsed)) {
            if (known.has(k) && typeof v === 'string')
                state[k] = v;
        }
    }
    return state;
}
/** Merges `update` into the state file (written atomically: a rename over the old file). */
function saveState(file, update) {
    const merged = { ...loadState(file), ...update };
    const tmp = `${file}.${process.pid}.tmp`;
    (0,_lib_files__WEBPACK_IMPORTED_MODULE_4__/* .writePrivateFile */ .Pl)(tmp, `${JSON.stringify(merged, null, 2)}\n`);
    node_fs__WEBPACK_IMPORTED_MODULE_0__.renameSync(tmp, file);
    return merged;
}


/***/ }),

/***/ 9556:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   LX: () => (/* binding */ createGitHubClient),
/* harmony export */   gj: () => (/* binding */ isPermissionError),
/* harmony export */   ji: () => (/* binding */ readGitHubRun),
/* harmony export */   z$: () => (/* binding */ bestEffort)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7484);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(_actions_core__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3228);
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(_actions_github__WEBPACK_IMPORTED_MODULE_2__);
/**
 * What the runner tells of the workflow run (GITHUB_EVENT_NAME, the GITHUB_EVENT_PATH payload,
 * GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_SERVER_URL / GITHUB_API_URL, GITHUB_RUN_ID), and the Octokit of
 * `@actions/github` for the `github-token` input. Reads only the environment it is given (never the
 * `context` singleton of @actions/github, which reads process.env when first imported).
 */



const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);
function readPayload(file) {
    if (!file || !node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync(file))
        return {};
    try {
        const parsed = JSON.parse(node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync(file, 'utf8'));
        return parsed !== null && typeof parsed === 'object' ? parsed : {};
    }
    catch (error) {
        _actions_core__WEBPACK_IMPORTED_MODULE_1__.debug(`event payload ${file} not read: ${error.message}`);
        return {};
    }
}
function readGitHubRun(env = process.env) {
    const eventName = env.GITHUB_EVENT_NAME || undefined;
    const payload = readPayload(env.GITHUB_EVENT_PATH);
    const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
    const pr = payload.pull_request;
    const isPr = eventName !== undefined && PULL_REQUEST_EVENTS.has(eventName);
    const number = isPr ? (pr?.number ?? payload.number) : undefined;
    const headSha = isPr && typeof pr?.head?.sha === 'string' ? pr.head.sha : undefined;
    const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
    const repository = owner && repo ? `${owner}/${repo}` : undefined;
    return {
        eventName,
        payload,
        owner: owner || undefined,
        repo: repo || undefined,
        sha: env.GITHUB_SHA || undefined,
        pullRequestNumber: typeof number === 'number' && Number.isInteger(number) ? number : undefined,
        deploymentRef: headSha ?? (env.GITHUB_SHA || undefined),
        serverUrl,
        apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
        runUrl: repository && env.GITHUB_RUN_ID ? `${serverUrl}/${repository}/actions/runs/${env.GITHUB_RUN_ID}` : undefined,
    };
}
/** The Octokit for `token`, pointed at GITHUB_API_URL (GitHub Enterprise Server) or `baseUrl` (tests). */
function createGitHubClient(token, options = {}) {
    const env = options.env ?? process.env;
    const baseUrl = options.baseUrl ?? (env.GITHUB_API_URL || 'https://api.github.com');
    return (0,_actions_github__WEBPACK_IMPORTED_MODULE_2__.getOctokit)(token, { baseUrl: baseUrl.replace(/\/+$/, ''), userAgent: 'kedro-aws-action' });
}
/**
 * Whether an Octokit error means the token may not do this: a fork's read-only token (403 "Resource not
 * accessible by integration"), a job whose `permissions:` leave out `pull-requests`/`deployments`.
 */
function isPermissionError(error) {
    const status = error?.status;
    if (status === 403)
        return true;
    return /Resource not accessible by (integration|personal access token)/i.test(error?.message ?? '');
}
/**
 * Runs a GitHub call that must never fail the run: a permission error gives a notice (`<what> skipped`),
 * any other error a warning; both return undefined.
 */
async function bestEffort(what, call) {
    try {
        return await call();
    }
    catch (error) {
        const message = error.message ?? String(error);
        if (isPermissionError(error)) {
            _actions_core__WEBPACK_IMPORTED_MODULE_1__.notice(`${what} skipped: the token may not do it (${message}); on a pull request from a fork the token is read-only.`);
        }
        else {
            _actions_core__WEBPACK_IMPORTED_MODULE_1__.warning(`${what} failed: ${message}`);
        }
        return undefined;
    }
}


/***/ }),

/***/ 2418:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  OI: () => (/* binding */ exportPlan),
  YI: () => (/* binding */ readExportResult),
  Qw: () => (/* binding */ workspaceLocations)
});

// UNUSED EXPORTS: readScaffold

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/lib/errors.ts
var errors = __webpack_require__(7268);
// EXTERNAL MODULE: ./src/lib/files.ts
var files = __webpack_require__(228);
// EXTERNAL MODULE: ./src/lib/paths.ts
var paths = __webpack_require__(2308);
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 15 modules
var schemas = __webpack_require__(9691);
;// CONCATENATED MODULE: ./src/plan/schema.ts
/**
 * The contract between the Python plan exporter (python/kedro_aws_action/export_plan.py)
 * and the TypeScript side: the shape of plan.json, validated when it is read.
 *
 * Pure: no I/O here. Field names are snake_case because Python writes them.
 */

const PLAN_SCHEMA_VERSION = 1;
const GroupSchema = schemas/* object */.Ikc({
    /** Group name as Kedro gives it: the top-level namespace, or the node name for a node without one. */
    name: schemas/* string */.YjP().min(1),
    type: schemas/* enum */.k5n(['namespace', 'nodes']),
    /** Kedro node names in this group (namespaced names, as `kedro run --nodes` takes them). */
    nodes: schemas/* array */.YOg(schemas/* string */.YjP()).min(1),
    /** Names of the groups this group depends on (from GroupedNodes.dependencies). */
    dependencies: schemas/* array */.YOg(schemas/* string */.YjP()),
    /** Datasets the group reads that no node of the same group produces. */
    inputs: schemas/* array */.YOg(schemas/* string */.YjP()),
    /** Datasets the group's nodes produce. */
    outputs: schemas/* array */.YOg(schemas/* string */.YjP()),
});
const DatasetSchema = schemas/* object */.Ikc({
    name: schemas/* string */.YjP().min(1),
    /** Fully qualified class as Kedro resolves it in the env, null when the catalog has no entry. */
    type: schemas/* string */.YjP().nullable(),
    /** Resolved `filepath` (or `path` for folder datasets) in the env, null when it has none. */
    filepath: schemas/* string */.YjP().nullable(),
    /** fsspec protocol of the filepath (`s3`, `file`, ...), null when there is no path. */
    protocol: schemas/* string */.YjP().nullable(),
    versioned: schemas/* boolean */.zMY(),
    /** False for MemoryDataset-like types and for datasets without a catalog entry. */
    persisted: schemas/* boolean */.zMY(),
    /** The group that produces it, null for a free input of the pipeline. */
    producer: schemas/* string */.YjP().nullable(),
    consumers: schemas/* array */.YOg(schemas/* string */.YjP()),
    /** Produced in one group and consumed in another. */
    crossing: schemas/* boolean */.zMY(),
});
/** Where in the project something is (file relative to the project root), for annotations. */
const LocationSchema = schemas/* object */.Ikc({ file: schemas/* string */.YjP(), line: schemas/* number */.aig().int().positive(), message: schemas/* string */.YjP() });
/**
 * A protocol of the catalog whose file system needs a package in the image (`s3` needs `s3fs`), as
 * fsspec says; `package` refuses a wheel whose requirements do not reach it (src/plan/filesystems.ts).
 */
const FilesystemSchema = schemas/* object */.Ikc({
    protocol: schemas/* string */.YjP(),
    /** The datasets on it. */
    datasets: schemas/* array */.YOg(schemas/* string */.YjP()),
    packages: schemas/* array */.YOg(schemas/* object */.Ikc({
        /** Normalised distribution name (PEP 503). */
        name: schemas/* string */.YjP(),
        /** Requirements that bring it in as well: `dist` or `dist[extra]` (normalised), e.g. `fsspec[s3]`. */
        provided_by: schemas/* array */.YOg(schemas/* string */.YjP()),
    })),
    /** The catalog entry of one of its datasets. */
    locations: schemas/* array */.YOg(LocationSchema).optional(),
});
const PlanSchema = schemas/* object */.Ikc({
    schema_version: schemas/* literal */.euz(PLAN_SCHEMA_VERSION),
    project: schemas/* object */.Ikc({
        name: schemas/* string */.YjP(),
        package_name: schemas/* string */.YjP(),
        kedro_version: schemas/* string */.YjP(),
        python_version: schemas/* string */.YjP(),
    }),
    pipeline: schemas/* string */.YjP(),
    env: schemas/* string */.YjP(),
    /** The runtime params every group of a run gets: Kedro's answer for the `runtime-params` input. */
    runtime_params: schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* unknown */.L5J()),
    /** The `key=value` text they were parsed from (`kedro run --params`); null or absent for a JSON object. */
    runtime_params_text: schemas/* string */.YjP().nullish(),
    groups: schemas/* array */.YOg(GroupSchema).min(1),
    datasets: schemas/* array */.YOg(DatasetSchema),
    /** Contents of `kedro_aws` config (conf/base + conf/<env>, merged by Kedro's loader); {} when absent. */
    settings: schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* unknown */.L5J()),
    /** Protocols whose file system needs a package (absent from plans of older versions: nothing checked). */
    filesystems: schemas/* array */.YOg(FilesystemSchema).optional(),
    warnings: schemas/* array */.YOg(schemas/* string */.YjP()),
});
/** What the exporter writes instead of a plan when it refuses the project. */
const PlanErrorSchema = schemas/* object */.Ikc({
    schema_version: schemas/* literal */.euz(PLAN_SCHEMA_VERSION),
    error: schemas/* object */.Ikc({
        kind: schemas/* enum */.k5n([
            'not_a_kedro_project',
            'pipeline_not_found',
            'kedro_error',
            'memory_crossing',
            'missing_input',
            'cycle',
            'local_path',
        ]),
        message: schemas/* string */.YjP(),
        env: schemas/* string */.YjP().optional(),
        datasets: schemas/* array */.YOg(schemas/* string */.YjP()).optional(),
        groups: schemas/* array */.YOg(schemas/* string */.YjP()).optional(),
        /** Where in the project the problem is (file relative to the project root), for annotations. */
        locations: schemas/* array */.YOg(LocationSchema).optional(),
    }),
});

// EXTERNAL MODULE: ./src/kedro/python.ts
var python = __webpack_require__(5497);
;// CONCATENATED MODULE: ./src/kedro/export.ts
/**
 * Plan export: asks Kedro itself (python/kedro_aws_action/export_plan.py, run with the user's
 * interpreter) for the group graph and the datasets as resolved in the conf env, and reads its answer.
 */







/** Exit code with which the exporter says it refused the project (and wrote why). */
const EXIT_REFUSED = 3;
async function exportPlan(options) {
    external_node_fs_.mkdirSync(external_node_path_.dirname(options.output), { recursive: true });
    external_node_fs_.rmSync(options.output, { force: true });
    const script = external_node_path_.join((0,paths/* pythonDir */.w)(), 'kedro_aws_action', 'export_plan.py');
    const result = await (0,python/* runPython */.w)(options.python, [
        script,
        '--project-path',
        options.projectPath,
        '--env',
        options.env,
        '--pipeline',
        options.pipeline,
        ...runtimeParamsArgs(options.runtimeParams),
        '--output',
        options.output,
        ...scaffoldArgs(options.scaffold),
    ], { cwd: options.projectPath, label: 'plan' });
    if (options.scaffold) {
        const files = readScaffold(options.scaffold.dir);
        // Before a refusal is thrown: the suggestion is what fixes it.
        if (files.length)
            options.scaffold.found(files);
    }
    // The exporter wrote it under $RUNNER_TEMP: the runner's user's only, as the action's other files.
    (0,files/* restrictFile */.fM)(options.output);
    return readExportResult(options.output, result.code, result.stderrTail, options.projectPath);
}
/** Locations the exporter gives relative to the project, made relative to the workspace (as annotations want). */
function workspaceLocations(locations, projectPath, workspace = process.cwd()) {
    return locations.map((l) => ({
        file: external_node_path_.relative(workspace, external_node_path_.join(projectPath, l.file)),
        line: l.line,
        message: l.message,
    }));
}
/** The exporter's arguments for the runtime params: `--params TEXT` (Kedro's syntax) or `--runtime-params JSON`. */
function runtimeParamsArgs(given) {
    // One argument (`--params=TEXT`): a text that starts with `-` is not taken for an option.
    if (given?.form === 'kedro')
        return [`--params=${given.text}`];
    return ['--runtime-params', JSON.stringify(given?.params ?? {})];
}
function scaffoldArgs(scaffold) {
    if (!scaffold)
        return [];
    external_node_fs_.rmSync(scaffold.dir, { recursive: true, force: true });
    return ['--scaffold', scaffold.dir, ...(scaffold.bucket ? ['--bucket', scaffold.bucket] : [])];
}
/** The files the exporter suggested, conf/<env>/catalog.yml first. */
function readScaffold(dir) {
    const conf = external_node_path_.join(dir, 'conf');
    if (!external_node_fs_.existsSync(conf))
        return [];
    const files = [];
    for (const env of external_node_fs_.readdirSync(conf).sort()) {
        for (const name of ['catalog.yml', 'globals.yml']) {
            const file = external_node_path_.join(conf, env, name);
            if (external_node_fs_.existsSync(file))
                files.push({ file: `conf/${env}/${name}`, path: file, text: external_node_fs_.readFileSync(file, 'utf8') });
        }
    }
    return files;
}
/** Turns what the exporter wrote into a Plan, or into an ActionError a user can act on. */
function readExportResult(file, code, stderrTail = '', 
/** Where the refusal's locations are relative to, and what annotations are relative to. */
projectPath = process.cwd(), workspace = process.cwd()) {
    if (!external_node_fs_.existsSync(file)) {
        throw new errors/* ActionError */.l(`plan export failed (exit code ${code}) without writing ${file}.` +
            (stderrTail ? `\nLast lines from Python:\n${stderrTail}` : ''));
    }
    let json;
    try {
        json = JSON.parse(external_node_fs_.readFileSync(file, 'utf8'));
    }
    catch (e) {
        throw new errors/* ActionError */.l(`plan export wrote ${file}, which is not JSON: ${e.message}`);
    }
    const refusal = PlanErrorSchema.safeParse(json);
    if (refusal.success) {
        throw new errors/* ActionError */.l(`plan export refused the project: ${refusal.data.error.message}`, workspaceLocations(refusal.data.error.locations ?? [], projectPath, workspace));
    }
    if (code !== 0) {
        throw new errors/* ActionError */.l(`plan export failed (exit code ${code === EXIT_REFUSED ? 'refused' : code}).` +
            (stderrTail ? `\nLast lines from Python:\n${stderrTail}` : ''));
    }
    const plan = PlanSchema.safeParse(json);
    if (!plan.success) {
        throw new errors/* ActionError */.l(`plan export wrote a plan this version of the action does not understand (${file}): ` +
            plan.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    }
    return plan.data;
}


/***/ }),

/***/ 5497:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   w: () => (/* binding */ runPython)
/* harmony export */ });
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7484);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(_actions_core__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _inputs__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9901);
/* harmony import */ var _lib_errors__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7268);
/**
 * Runs a command of the user's Python environment (the `python` input) and streams its output to the
 * step log. Thin on purpose: what the command means is decided by its callers.
 */




async function runPython(python, args, options) {
    _actions_core__WEBPACK_IMPORTED_MODULE_1__.debug(`${options.label}: ${python} ${args.join(' ')} (in ${options.cwd})`);
    return new Promise((resolve, reject) => {
        const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)(python, args, {
            cwd: options.cwd,
            env: { ...process.env, PYTHONUNBUFFERED: '1', ...options.env },
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        const tail = [];
        const forward = (stream, keep) => {
            let buffered = '';
            stream.setEncoding('utf8');
            stream.on('data', (chunk) => {
                buffered += chunk;
                const lines = buffered.split('\n');
                buffered = lines.pop() ?? '';
                for (const line of lines)
                    emit(line, keep);
            });
            stream.on('end', () => {
                if (buffered !== '')
                    emit(buffered, keep);
            });
        };
        const emit = (line, keep) => {
            _actions_core__WEBPACK_IMPORTED_MODULE_1__.info(`  ${options.label} | ${line}`);
            if (keep) {
                tail.push(line);
                if (tail.length > 40)
                    tail.shift();
            }
        };
        forward(child.stdout, false);
        forward(child.stderr, true);
        child.on('error', (err) => {
            if (err.code === 'ENOENT') {
                reject(new _lib_errors__WEBPACK_IMPORTED_MODULE_3__/* .ActionError */ .l(`input "${_inputs__WEBPACK_IMPORTED_MODULE_2__/* .INPUT */ .bO.python}": the interpreter "${python}" was not found; give the Python of the ` +
                    'environment where the Kedro project is installed (e.g. after actions/setup-python and pip install)'));
            }
            else {
                reject(err);
            }
        });
        child.on('close', (code, signal) => {
            resolve({ code: code ?? (signal ? 128 : 1), stderrTail: tail.join('\n') });
        });
    });
}


/***/ }),

/***/ 228:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Pl: () => (/* binding */ writePrivateFile),
/* harmony export */   XK: () => (/* binding */ privateDir),
/* harmony export */   fM: () => (/* binding */ restrictFile),
/* harmony export */   jH: () => (/* binding */ restrictTree)
/* harmony export */ });
/* unused harmony exports PRIVATE_DIR_MODE, PRIVATE_FILE_MODE */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/**
 * Files the action keeps under $RUNNER_TEMP: readable by the runner's user only. Folders are 0700 and
 * files 0600 (0700 for an executable); what another program wrote there (pip, tar, the plan exporter)
 * is brought down to the same with {@link restrictTree}.
 */


const PRIVATE_DIR_MODE = 0o700;
const PRIVATE_FILE_MODE = 0o600;
/** Creates `dir` (and its missing parents) as 0700, and makes `dir` itself 0700 when it was there already. */
function privateDir(dir) {
    node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    node_fs__WEBPACK_IMPORTED_MODULE_0__.chmodSync(dir, PRIVATE_DIR_MODE);
    return dir;
}
/** Writes `file` as 0600 (also when it was there already with other permissions). */
function writePrivateFile(file, data) {
    node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdirSync(node_path__WEBPACK_IMPORTED_MODULE_1__.dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
    node_fs__WEBPACK_IMPORTED_MODULE_0__.writeFileSync(file, data, { mode: PRIVATE_FILE_MODE });
    node_fs__WEBPACK_IMPORTED_MODULE_0__.chmodSync(file, PRIVATE_FILE_MODE);
}
/** Makes an existing file 0600 (one that another program wrote); nothing when it is not there. */
function restrictFile(file) {
    if (node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync(file))
        node_fs__WEBPACK_IMPORTED_MODULE_0__.chmodSync(file, PRIVATE_FILE_MODE);
}
/**
 * Takes every permission of group and others off `root` and everything under it (the owner's bits
 * stay: an executable stays executable). Symbolic links are not followed.
 */
function restrictTree(root) {
    const stat = node_fs__WEBPACK_IMPORTED_MODULE_0__.lstatSync(root, { throwIfNoEntry: false });
    if (!stat || stat.isSymbolicLink())
        return;
    if ((stat.mode & 0o077) !== 0)
        node_fs__WEBPACK_IMPORTED_MODULE_0__.chmodSync(root, stat.mode & 0o700);
    if (!stat.isDirectory())
        return;
    for (const name of node_fs__WEBPACK_IMPORTED_MODULE_0__.readdirSync(root))
        restrictTree(node_path__WEBPACK_IMPORTED_MODULE_1__.join(root, name));
}


/***/ }),

/***/ 2308:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   w: () => (/* binding */ pythonDir)
/* harmony export */ });
/* unused harmony export actionRoot */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/** Where the action's own files are, whether it runs from dist/ (bundled) or from src/ (tests). */


let cached;
/** The action's root folder: the nearest folder above this file holding action.yml. */
function actionRoot() {
    if (cached)
        return cached;
    let dir = __dirname;
    for (;;) {
        if (node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync(node_path__WEBPACK_IMPORTED_MODULE_1__.join(dir, 'action.yml'))) {
            cached = dir;
            return dir;
        }
        const parent = node_path__WEBPACK_IMPORTED_MODULE_1__.dirname(dir);
        if (parent === dir)
            throw new Error(`action.yml not found above ${__dirname}`);
        dir = parent;
    }
}
/** The Python helpers shipped beside dist/ (plan exporter, runtime handlers). */
function pythonDir() {
    return node_path__WEBPACK_IMPORTED_MODULE_1__.join(actionRoot(), 'python');
}


/***/ }),

/***/ 8189:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runModes: () => (/* binding */ runModes)
});

// UNUSED EXPORTS: MODE_HANDLERS

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js
var core = __webpack_require__(7484);
// EXTERNAL MODULE: ./src/aws/config.ts + 1 modules
var config = __webpack_require__(7589);
// EXTERNAL MODULE: ./src/lib/secrets.ts
var secrets = __webpack_require__(5714);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-sts/dist-cjs/index.js
var dist_cjs = __webpack_require__(1695);
// EXTERNAL MODULE: ./src/inputs/table.ts + 1 modules
var table = __webpack_require__(1926);
// EXTERNAL MODULE: ./src/lib/errors.ts
var errors = __webpack_require__(7268);
// EXTERNAL MODULE: ./src/aws/errors.ts
var aws_errors = __webpack_require__(9378);
;// CONCATENATED MODULE: ./src/aws/oidc.ts
/**
 * AWS credentials from GitHub's OIDC token: STS AssumeRoleWithWebIdentity, built in, so a workflow needs
 * no separate configure-aws-credentials step and a long wait never outlives its credentials.
 *
 * `oidcCredentials` returns a credential provider for the SDK clients of clients.ts. Each credential set
 * carries its `expiration`; the SDK asks the provider again when fewer than 5 minutes are left, and the
 * provider then fetches a new GitHub ID token and assumes the role again. A nightly run that waits longer
 * than the role session (1 hour by default) keeps working instead of failing with ExpiredToken.
 *
 * Between refreshes the credentials are memoized, and concurrent callers share one refresh: every client
 * built with the same provider (S3, Lambda, Step Functions, ...) uses the same role session.
 *
 * This module does not import @actions/core: what it needs of the runner (the ID token, masking, the
 * log) comes in as a {@link RunnerIo}, so the post step can use it with a small bundle (src/post/). The
 * main step's io is @actions/core's (credentials.ts).
 */






// STS's defaults and limits, declared with the inputs they check (src/inputs/table.ts).

/** Credentials are refreshed when fewer than this many ms are left (the SDK's own margin is 5 minutes). */
const REFRESH_BEFORE_MS = 5 * 60_000;
/** Default number of attempts of one refresh (ID token + AssumeRoleWithWebIdentity). */
const DEFAULT_MAX_ATTEMPTS = 5;
/** After a failed refresh, credentials that are still valid are used this long before trying again. */
const RETRY_REFRESH_AFTER_MS = 30_000;
/** Credentials with less than this left are not used any more, even when a refresh fails. */
const STILL_USABLE_MS = 60_000;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_CAP_MS = 20_000;
/** Replaces every run of characters STS refuses in a session name with one `-`. */
function cleanSessionPart(part) {
    return part.replace(/[^\w+=,.@-]+/g, '-').replace(/^-+|-+$/g, '');
}
/**
 * `kedro-aws-<repository>-<run id>-<attempt>`, cleaned to what STS accepts and cut to 64 characters by
 * shortening the repository name (the run id and attempt, which tell runs apart, are kept). CloudTrail
 * shows it for every call made with the credentials.
 */
function defaultSessionName(env = process.env) {
    const prefix = 'kedro-aws';
    const repo = cleanSessionPart((env.GITHUB_REPOSITORY ?? '').split('/').pop() ?? '');
    const suffix = [env.GITHUB_RUN_ID, env.GITHUB_RUN_ATTEMPT]
        .map((p) => cleanSessionPart(p ?? ''))
        .filter(Boolean)
        .join('-');
    const fixed = [prefix, suffix].filter(Boolean).join('-').slice(0, 64);
    const room = 64 - fixed.length - 1; // the '-' before the repository name
    const repoPart = room > 0 ? repo.slice(0, room).replace(/-+$/, '') : '';
    const name = repoPart ? [prefix, repoPart, suffix].filter(Boolean).join('-') : fixed;
    return name.slice(0, 64);
}
/** True when the event is a pull request opened from a fork (such runs get no ID token). */
function isForkPullRequest(env = process.env) {
    if (!/^pull_request/.test(env.GITHUB_EVENT_NAME ?? '') || !env.GITHUB_EVENT_PATH)
        return false;
    try {
        const event = JSON.parse(external_node_fs_.readFileSync(env.GITHUB_EVENT_PATH, 'utf8'));
        const head = event.pull_request?.head?.repo;
        if (head === null)
            return true; // the fork was deleted
        if (!head)
            return false;
        return head.fork === true || (head.full_name !== undefined && head.full_name !== env.GITHUB_REPOSITORY);
    }
    catch {
        return false;
    }
}
/** The error for a job that may not request an ID token (no `id-token: write`, or a fork pull request). */
function missingIdTokenPermissionError(roleArn, env = process.env) {
    const fork = isForkPullRequest(env)
        ? 'This run is a pull request from a fork: GitHub gives such runs no ID token whatever the permissions say. '
        : 'Pull requests from forks get no ID token whatever the permissions say. ';
    return new errors/* ActionError */.l(`cannot assume ${roleArn}: this job may not request a GitHub OIDC token ` +
        '(ACTIONS_ID_TOKEN_REQUEST_URL / ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set). ' +
        'Add to the job (or the workflow):\n' +
        '  permissions:\n' +
        '    id-token: write\n' +
        '    contents: read\n' +
        fork +
        'Run those with `executor: local`, or without `role-to-assume`.');
}
/** Marks an error from fetching the ID token (as opposed to one from STS). */
class IdTokenError extends Error {
    missingPermission;
    constructor(message, missingPermission) {
        super(message);
        this.missingPermission = missingPermission;
        this.name = 'IdTokenError';
    }
}
const THROTTLING = aws_errors/* THROTTLING_ERRORS */.KI;
const IDP_COMMUNICATION = new Set(['IDPCommunicationError', 'IDPCommunicationErrorException']);
// Here a host that does not resolve is worth another try too: STS's host is AWS's own, not an input.
const NETWORK = new Set([...aws_errors/* NETWORK_ERRORS */.Z, 'ENOTFOUND']);
function errorName(err) {
    return err.name ?? err.Code ?? err.code ?? '';
}
/**
 * Errors worth another attempt: STS throttling; IDPCommunicationError (STS could not reach GitHub's
 * OIDC endpoint: "often transient", AWS says, "retry a limited number of times"); an InvalidIdentityToken
 * that says STS could not fetch GitHub's verification keys (transient, unlike a wrong audience or a
 * missing OIDC provider); an ExpiredToken (the ID token expired on the way: a new one is fetched);
 * server errors and network errors; and a failed ID token request other than a missing permission.
 */
function isRetryableOidcError(error) {
    if (error instanceof IdTokenError)
        return !error.missingPermission;
    if (typeof error !== 'object' || error === null)
        return false;
    const err = error;
    const name = errorName(err);
    const status = err.$metadata?.httpStatusCode;
    if (THROTTLING.has(name) || err.$retryable?.throttling || status === 429)
        return true;
    if (IDP_COMMUNICATION.has(name))
        return true;
    if (/^InvalidIdentityToken/.test(name)) {
        return /could ?n[o']?t (retrieve|fetch|reach|connect)|verification key|timed? ?out|temporar/i.test(err.message ?? '');
    }
    if (/^ExpiredToken/.test(name))
        return true;
    if (err.$retryable || err.$fault === 'server' || (status !== undefined && status >= 500))
        return true;
    return NETWORK.has(name) || NETWORK.has(err.code ?? '');
}
/** Decodes the claims of a JWT without checking it (only to explain a refusal). */
function jwtClaims(token) {
    try {
        const payload = token?.split('.')[1];
        if (!payload)
            return {};
        return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    }
    catch {
        return {};
    }
}
function hintFor(err, audience, token, env) {
    const name = errorName(err);
    const message = err.message ?? '';
    // STS's host does not resolve: a region no partition has (or no DNS), said as for every other call.
    if ((0,aws_errors/* awsErrorKind */.UC)(err) === 'dns')
        return ` ${(0,aws_errors/* dnsHint */.t6)(err, env)}`;
    if (/^InvalidIdentityToken/.test(name) && /no openid ?connect provider/i.test(message)) {
        return (' Create the IAM OIDC identity provider for https://token.actions.githubusercontent.com ' +
            `(client ID / audience "${audience}") in the role's account.`);
    }
    if (/^InvalidIdentityToken/.test(name) && /audience/i.test(message)) {
        return ` The token's audience is "${audience}" (input "${table/* INPUT */.bO.audience}"): it must be a client ID of the IAM OIDC provider.`;
    }
    if (name === 'AccessDenied' || name === 'AccessDeniedException') {
        const claims = jwtClaims(token);
        const sub = typeof claims.sub === 'string' ? ` Its "sub" claim is "${claims.sub}".` : '';
        return (" The role's trust policy must allow sts:AssumeRoleWithWebIdentity for the federated principal " +
            `token.actions.githubusercontent.com, with "token.actions.githubusercontent.com:aud" = "${audience}" ` +
            `and a "token.actions.githubusercontent.com:sub" condition that matches this job.${sub}`);
    }
    if (name === 'ValidationError' && /durationseconds/i.test(message)) {
        return ` Give "${table/* INPUT */.bO.roleDurationSeconds}" from ${table/* MIN_ROLE_DURATION_SECONDS */.tj} to the role's maximum session duration.`;
    }
    return '';
}
/** Turns the last error of a refresh into one a user can act on. */
function explain(error, options) {
    if (error instanceof errors/* ActionError */.l)
        return error;
    if (error instanceof IdTokenError) {
        if (error.missingPermission)
            return missingIdTokenPermissionError(options.roleArn, options.env);
        return new errors/* ActionError */.l(`cannot assume ${options.roleArn}: could not get a GitHub OIDC token (audience "${options.audience}"): ${error.message}`);
    }
    const err = (typeof error === 'object' && error !== null ? error : { message: String(error) });
    const what = [errorName(err), err.message].filter(Boolean).join(': ');
    const wrapped = new errors/* ActionError */.l(`cannot assume ${options.roleArn} with GitHub OIDC (audience "${options.audience}", session "${options.sessionName}"): ` +
        `${what}.${hintFor(err, options.audience, options.token, options.env)}`);
    wrapped.cause = error;
    return wrapped;
}
/** Hides the credentials in the step's log (never the account id, which names nothing secret). */
function maskCredentials(io, creds) {
    io.setSecret(creds.accessKeyId);
    io.setSecret(creds.secretAccessKey);
    if (creds.sessionToken)
        io.setSecret(creds.sessionToken);
}
function stsAssumer(options) {
    let client;
    return (input) => {
        client ??= new dist_cjs/* STSClient */.iM({
            region: options.region,
            // The retries are ours (isRetryableOidcError): each attempt also fetches a fresh ID token.
            maxAttempts: 1,
            customUserAgent: [config/* USER_AGENT */._O],
            ...(options.stsEndpoint ? { endpoint: options.stsEndpoint } : {}),
        });
        return client.send(new dist_cjs/* AssumeRoleWithWebIdentityCommand */.WH(input));
    };
}
const realSleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/**
 * A credential provider that assumes `roleArn` with a fresh GitHub ID token whenever the credentials it
 * holds have fewer than 5 minutes left (or the SDK asks with `forceRefresh`). Throws an ActionError that
 * says what to fix (the job's permissions, the role's trust policy, the OIDC provider) when it cannot.
 */
function oidcCredentials(options) {
    const audience = options.audience || table/* DEFAULT_AUDIENCE */.Z4;
    const env = options.env ?? process.env;
    const sessionName = options.sessionName || defaultSessionName(env);
    if (!table/* SESSION_NAME_RE */.$R.test(sessionName)) {
        throw new errors/* ActionError */.l(`role session name "${sessionName}" must be 2 to 64 characters of letters, digits and _ + = , . @ -`);
    }
    const maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    const now = options.now ?? Date.now;
    const sleep = options.sleep ?? realSleep;
    const { io } = options;
    const getIdToken = options.getIdToken ?? ((aud) => io.getIDToken(aud));
    const assumeRole = options.assumeRole ?? stsAssumer(options);
    let lastToken;
    async function fetchToken() {
        let token;
        try {
            token = await getIdToken(audience);
        }
        catch (e) {
            const message = e?.message ?? String(e);
            throw new IdTokenError(message, /ACTIONS_ID_TOKEN_REQUEST_(URL|TOKEN)/.test(message));
        }
        if (!token)
            throw new IdTokenError('the token endpoint returned no token', false);
        io.setSecret(token);
        return token;
    }
    async function assumeOnce() {
        const token = await fetchToken();
        lastToken = token;
        const out = await assumeRole({
            RoleArn: options.roleArn,
            RoleSessionName: sessionName,
            WebIdentityToken: token,
            ...(options.durationSeconds !== undefined ? { DurationSeconds: options.durationSeconds } : {}),
        });
        const c = out.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
            throw new errors/* ActionError */.l(`cannot assume ${options.roleArn}: STS answered AssumeRoleWithWebIdentity without credentials`);
        }
        const expiration = c.Expiration ?? new Date(now() + (options.durationSeconds ?? 3600) * 1000);
        const accountId = /^arn:[^:]+:sts::(\d{12}):/.exec(out.AssumedRoleUser?.Arn ?? '')?.[1];
        const creds = {
            accessKeyId: c.AccessKeyId,
            secretAccessKey: c.SecretAccessKey,
            sessionToken: c.SessionToken,
            expiration,
            ...(accountId ? { accountId } : {}),
        };
        maskCredentials(io, creds);
        io.info(`Assumed ${options.roleArn} (session ${sessionName}) with GitHub OIDC; valid until ${expiration.toISOString()}`);
        return creds;
    }
    async function assumeWithRetries() {
        for (let attempt = 1;; attempt++) {
            try {
                return await assumeOnce();
            }
            catch (e) {
                if (!isRetryableOidcError(e) || attempt >= maxAttempts) {
                    throw explain(e, { roleArn: options.roleArn, audience, sessionName, env, token: lastToken });
                }
                // Exponential backoff with full jitter.
                const delay = Math.round(Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1)));
                const err = e;
                io.info(`Assuming ${options.roleArn}: attempt ${attempt} of ${maxAttempts} failed ` +
                    `(${[errorName(err), err.message].filter(Boolean).join(': ')}); retrying in ${delay} ms`);
                await sleep(delay);
            }
        }
    }
    let current;
    let pending;
    let failedAt;
    const left = (c) => (c.expiration ? c.expiration.getTime() - now() : Infinity);
    async function refresh() {
        try {
            current = await assumeWithRetries();
            failedAt = undefined;
            return current;
        }
        catch (e) {
            // Credentials that still work are better than a failed step: warn, and try again a little later.
            if (current && left(current) > STILL_USABLE_MS) {
                failedAt = now();
                io.warning(`Refreshing the AWS credentials failed; the current ones stay in use until ${current.expiration?.toISOString()}: ${e.message}`);
                return current;
            }
            throw e;
        }
        finally {
            pending = undefined;
        }
    }
    return async (properties) => {
        const force = properties?.forceRefresh === true;
        if (current && !force) {
            if (left(current) >= REFRESH_BEFORE_MS)
                return current;
            if (failedAt !== undefined && now() - failedAt < RETRY_REFRESH_AFTER_MS && left(current) > STILL_USABLE_MS) {
                return current;
            }
        }
        pending ??= refresh();
        return pending;
    };
}
/**
 * The credentials of a step: GitHub OIDC for `role-to-assume`, or undefined without it (the SDK's
 * default chain then: environment, profile, web identity, instance metadata). The main step and the
 * post step both get theirs here.
 */
function roleCredentials(inputs, io) {
    if (!inputs.roleToAssume)
        return undefined;
    return oidcCredentials({
        io,
        roleArn: inputs.roleToAssume,
        audience: inputs.audience,
        sessionName: inputs.roleSessionName,
        durationSeconds: inputs.roleDurationSeconds,
        region: inputs.region,
        env: inputs.env,
    });
}

;// CONCATENATED MODULE: ./src/aws/credentials.ts
/**
 * GitHub OIDC credentials for the main step: the runner io of @actions/core (ID token, log; masking
 * through registerSecret, so that what is masked is also scrubbed from what the action publishes)
 * around oidc.ts, and the export of credentials to later steps.
 */




/** @actions/core as the runner io (looked up at each call, so tests can watch it). */
const coreIo = {
    getIDToken: (audience) => core.getIDToken(audience),
    setSecret: (value) => (0,secrets/* registerSecret */.cl)(value),
    info: (message) => core.info(message),
    warning: (message) => core.warning(message),
};
/** See oidc.ts; the io defaults to @actions/core's. */
function credentials_oidcCredentials(options) {
    return oidcWith({ ...options, io: options.io ?? coreIo });
}
/** The main step's credentials: GitHub OIDC for `role-to-assume`, else the SDK's default chain. */
function credentials_roleCredentials(inputs) {
    return roleCredentials(inputs, coreIo);
}
function credentials_maskCredentials(creds) {
    maskCredentials(coreIo, creds);
}
/**
 * Exports the credentials to later steps of the job (input `export-credentials: true`), as
 * AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, with the region the action used as
 * AWS_REGION and AWS_DEFAULT_REGION (the AWS CLI reads the latter), as aws-actions/configure-aws-credentials
 * does. They are not refreshed: later steps get one role session, valid until `creds.expiration`.
 */
function exportCredentials(creds, region) {
    credentials_maskCredentials(creds);
    core.exportVariable('AWS_ACCESS_KEY_ID', creds.accessKeyId);
    core.exportVariable('AWS_SECRET_ACCESS_KEY', creds.secretAccessKey);
    // An empty value clears a session token left by an earlier step, which would not match the new keys.
    core.exportVariable('AWS_SESSION_TOKEN', creds.sessionToken ?? '');
    core.exportVariable('AWS_REGION', region);
    core.exportVariable('AWS_DEFAULT_REGION', region);
}

// EXTERNAL MODULE: ./src/aws/clients.ts
var aws_clients = __webpack_require__(201);
// EXTERNAL MODULE: ./src/github/context.ts
var context = __webpack_require__(9556);
;// CONCATENATED MODULE: ./src/lib/wait.ts
const realClock = {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: () => Math.random(),
};
const DEFAULT_BACKOFF = { initialSeconds: 5, maxSeconds: 30, factor: 1.5 };
/** The delay before poll number `attempt` (0-based): exponential, capped, with ±20 % jitter. */
function backoffDelayMs(attempt, options, random) {
    const base = Math.min(options.maxSeconds, options.initialSeconds * options.factor ** attempt);
    const jitter = 0.8 + 0.4 * random();
    return Math.round(base * jitter * 1000);
}
class WaitTimeoutError extends Error {
    waitedMs;
    constructor(waitedMs) {
        super(`gave up waiting after ${Math.round(waitedMs / 60000)} minute(s)`);
        this.waitedMs = waitedMs;
        this.name = 'WaitTimeoutError';
    }
}
/** How long a wait goes on through failing calls before it gives up (issue 13: at least five minutes). */
const OUTAGE_TOLERANCE_MS = 5 * 60_000;
/** While calls fail, a notice at most this often. */
const OUTAGE_NOTICE_INTERVAL_MS = 60_000;
/** A wait's calls failed for {@link OUTAGE_TOLERANCE_MS} in a row; `lastError` is the last failure. */
class OutageError extends Error {
    lastError;
    failingMs;
    failures;
    constructor(lastError, failingMs, failures) {
        super(`${failures} call(s) failed in a row over ${minutesAndSeconds(failingMs)}; the last: ${messageOf(lastError)}`);
        this.lastError = lastError;
        this.failingMs = failingMs;
        this.failures = failures;
        this.name = 'OutageError';
    }
}
function messageOf(error) {
    return error instanceof Error ? error.message : String(error);
}
/** 65000 → `1m 05s`; 5000 → `5 s`. */
function minutesAndSeconds(ms) {
    const seconds = Math.round(ms / 1000);
    if (seconds < 60)
        return `${seconds} s`;
    return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}
/** Follows the failures of one wait: since when calls fail, how many, when it last said so. */
class OutageTracker {
    policy;
    clock;
    failingSince;
    failures = 0;
    lastNotice;
    answered = false;
    toleranceMs;
    constructor(policy, clock) {
        this.policy = policy;
        this.clock = clock;
        this.toleranceMs = policy.toleranceMs ?? OUTAGE_TOLERANCE_MS;
    }
    get failing() {
        return this.failingSince !== undefined;
    }
    /** Time left before the wait gives up on the calls (Infinity while they answer). */
    msLeft() {
        return this.failingSince === undefined ? Infinity : this.failingSince + this.toleranceMs - this.clock.now();
    }
    /** The call's result; undefined when it failed in a way worth waiting through. Throws otherwise. */
    async attempt(call) {
        let value;
        try {
            value = await call();
        }
        catch (error) {
            if (!this.policy.transient(error, this.answered))
                throw error;
            const now = this.clock.now();
            this.failingSince ??= now;
            this.failures += 1;
            const failingMs = now - this.failingSince;
            if (failingMs >= this.toleranceMs)
                throw new OutageError(error, failingMs, this.failures);
            if (this.lastNotice === undefined || now - this.lastNotice >= OUTAGE_NOTICE_INTERVAL_MS) {
                this.lastNotice = now;
                const sofar = this.failures > 1 ? `: ${this.failures} failed calls in a row over ${minutesAndSeconds(failingMs)}` : '';
                this.policy.notice(`${messageOf(error)}\nStill waiting${sofar}; the wait gives up after ${minutesAndSeconds(this.toleranceMs)} without an answer.`);
            }
            return undefined;
        }
        if (this.failingSince !== undefined) {
            this.policy.info(`AWS answers again after ${minutesAndSeconds(this.clock.now() - this.failingSince)} (${this.failures} failed call(s)); still waiting`);
            this.failingSince = undefined;
            this.failures = 0;
        }
        this.answered = true;
        return { value };
    }
}
/**
 * Calls `poll` until it says done, sleeping with backoff between calls, and throws WaitTimeoutError
 * once `timeoutMs` has passed. With `outage`, a poll that throws a transient error counts as "not done
 * yet": the wait backs off and goes on, says so at most once a minute, and throws {@link OutageError}
 * once the polls have failed for {@link OUTAGE_TOLERANCE_MS} in a row (an answer starts the count
 * again). Any other error ends the wait at once.
 */
async function pollUntil(poll, options) {
    const clock = options.clock ?? realClock;
    const tracker = options.outage ? new OutageTracker(options.outage, clock) : undefined;
    const started = clock.now();
    for (let attempt = 0;; attempt++) {
        const outcome = tracker ? (await tracker.attempt(poll))?.value : await poll();
        if (outcome?.done)
            return outcome.value;
        const elapsed = clock.now() - started;
        if (elapsed >= options.timeoutMs)
            throw new WaitTimeoutError(elapsed);
        let delay = Math.min(backoffDelayMs(attempt, options.backoff, clock.random), options.timeoutMs - elapsed);
        // While calls fail, one more try right when the tolerance runs out.
        if (tracker?.failing)
            delay = Math.min(delay, tracker.msLeft());
        await clock.sleep(Math.max(delay, 0));
    }
}
/**
 * One call, retried through an outage as a wait's polls are (backoff, notices, {@link OutageError}
 * after {@link OUTAGE_TOLERANCE_MS} of failures): for the reads around a wait.
 */
function callThroughOutage(call, options) {
    return pollUntil(async () => ({ done: true, value: await call() }), { ...options, timeoutMs: Infinity });
}

// EXTERNAL MODULE: ./src/context/state.ts
var context_state = __webpack_require__(9186);
;// CONCATENATED MODULE: ./src/context/context.ts
/** What every mode gets: the validated inputs, the state left by earlier modes, and a way to publish. */







function createContext(inputs, env = process.env, clock = realClock) {
    let clients;
    let gh;
    let credentials;
    const credentialsOf = () => inputs.roleToAssume
        ? (credentials ??= credentials_roleCredentials({ ...inputs, region: (0,aws_clients/* resolveRegion */.Zv)(inputs.awsRegion, env), env }))
        : undefined;
    // Masked in the log, and never in anything the action publishes.
    (0,secrets/* registerSecret */.cl)(inputs.githubToken);
    (0,context_state/* ensureWorkDir */.b3)(inputs.stage, env);
    const file = (0,context_state/* stateFile */.Ed)(inputs.stage, env);
    let state = (0,context_state/* loadState */.C7)(file);
    const fromInputs = (0,context_state/* stateFromInputs */.ll)(inputs);
    return {
        inputs,
        workDir: (0,context_state/* workDir */.Hg)(inputs.stage, env),
        get: (key) => fromInputs[key] ?? state[key],
        remember: (update) => {
            state = (0,context_state/* saveState */.LZ)(file, update);
        },
        setOutput: (name, value) => core.setOutput(name, value),
        aws: () => (clients ??= (0,aws_clients/* createClients */.hP)({
            region: (0,aws_clients/* resolveRegion */.Zv)(inputs.awsRegion, env),
            maxAttempts: inputs.maxRetries,
            env,
            credentials: credentialsOf(),
        })),
        credentials: credentialsOf,
        github: () => {
            if (gh === undefined) {
                const run = (0,context/* readGitHubRun */.ji)(env);
                gh =
                    inputs.githubToken && run.owner && run.repo
                        ? { octokit: (0,context/* createGitHubClient */.LX)(inputs.githubToken, { env }), run }
                        : null;
            }
            return gh ?? undefined;
        },
        env,
        clock,
    };
}

// EXTERNAL MODULE: ./src/context/outputs.ts
var outputs = __webpack_require__(9413);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/aws/ecr.ts
var aws_ecr = __webpack_require__(8663);
// EXTERNAL MODULE: ./src/build/context.ts
var build_context = __webpack_require__(3327);
// EXTERNAL MODULE: ./src/build/docker.ts
var docker = __webpack_require__(4558);
// EXTERNAL MODULE: ./src/build/layout.ts
var layout = __webpack_require__(2268);
;// CONCATENATED MODULE: ./src/build/emulation.ts
/**
 * Can the docker builder run the image's platform on this runner? `docker buildx build --platform
 * linux/arm64` on an x64 runner runs the Dockerfile's `RUN pip install` under QEMU, which must be
 * registered with the kernel (binfmt_misc) first, e.g. by docker/setup-qemu-action; without it the build
 * fails with "exec format error" deep in the log. The oci builder runs nothing of the image: pip fetches
 * the platform's wheels on the runner, so it needs no emulation.
 *
 * The evidence: `/proc/sys/fs/binfmt_misc/qemu-<arch>` enabled (what setup-qemu-action and
 * tonistiigi/binfmt register), or the platform among those `docker buildx inspect` lists.
 */




/** `process.arch` → the image architecture it runs natively (undefined: none of Lambda's). */
function nativeArchitecture(arch = process.arch) {
    if (arch === 'x64')
        return 'amd64';
    if (arch === 'arm64')
        return 'arm64';
    return undefined;
}
/** The QEMU binfmt_misc entry that runs `platform`'s binaries. */
function binfmtEntry(platform) {
    return `/proc/sys/fs/binfmt_misc/qemu-${platform === 'linux/arm64' ? 'aarch64' : 'x86_64'}`;
}
/** Pure: the refusal for a docker build of `platform` on a runner of `runnerArch`, or undefined when it can run. */
function emulationRefusal(platform, runnerArch, evidence) {
    const target = (0,layout/* platformArchitecture */.PL)(platform);
    const native = nativeArchitecture(runnerArch);
    if (native === target)
        return undefined;
    if (evidence.binfmt?.trim() === 'enabled')
        return undefined;
    if (evidence.buildxPlatforms.includes(platform))
        return undefined;
    const setup = target === 'arm64' ? 'arm64' : 'amd64';
    return (`input "${table/* INPUT */.bO.platform}" is ${platform} and the builder is docker, but this runner is ${runnerArch} ` +
        `and no emulation of ${setup} is registered (no ${binfmtEntry(platform)}, and "docker buildx inspect" ` +
        `does not list ${platform}): the Dockerfile's RUN steps would fail with "exec format error". Add ` +
        '`docker/setup-qemu-action` before this step, or use builder: oci (it builds the image without running ' +
        `it), or run the job on a runner of that architecture${target === 'arm64' ? ' (e.g. ubuntu-24.04-arm)' : ''}.`);
}
/** Parses `docker buildx inspect`: the `Platforms:` lines of its nodes. */
function parseBuildxPlatforms(output) {
    const platforms = new Set();
    for (const line of output.split('\n')) {
        const m = /^\s*Platforms:\s*(.*)$/.exec(line);
        if (!m)
            continue;
        for (const p of m[1].split(',')) {
            const name = p.trim().replace(/\*$/, '');
            if (name)
                platforms.add(name);
        }
    }
    return [...platforms];
}
/** Reads the evidence on this machine. */
async function emulationEvidence(platform) {
    let binfmt;
    try {
        binfmt = external_node_fs_.readFileSync(binfmtEntry(platform), 'utf8').split('\n')[0];
    }
    catch {
        binfmt = undefined;
    }
    const inspect = await (0,docker/* runCommand */.d1)('docker', ['buildx', 'inspect'], { timeoutMs: 20_000, quiet: true });
    return { binfmt, buildxPlatforms: inspect.code === 0 ? parseBuildxPlatforms(inspect.output) : [] };
}
/** The refusal for a docker build of `platform` on this machine, reading the evidence only when it is needed. */
async function dockerPlatformRefusal(platform) {
    if (nativeArchitecture() === (0,layout/* platformArchitecture */.PL)(platform))
        return undefined;
    return emulationRefusal(platform, process.arch, await emulationEvidence(platform));
}

// EXTERNAL MODULE: ./src/build/lock.ts
var build_lock = __webpack_require__(1497);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./src/build/pip.ts
var build_pip = __webpack_require__(6037);
// EXTERNAL MODULE: ./src/build/registry.ts
var registry = __webpack_require__(585);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: external "node:stream/promises"
var promises_ = __webpack_require__(6466);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
;// CONCATENATED MODULE: ./src/build/tar.ts
/**
 * Deterministic image layers: a tar of files placed at a path of the image, gzip-compressed, so the
 * same files give the same bytes and so the same digest on every build.
 *
 * - entries are sorted by their path in the image (byte order), parent folders included once;
 * - every entry has the same mtime (SOURCE_DATE_EPOCH, else 0), uid/gid 0 and no user/group names;
 * - modes are normalised: folders 0755, files 0755 when any execute bit is set, else 0644;
 * - long or non-ASCII paths go in PAX extended headers (as GNU tar and Go's archive/tar write them);
 * - the gzip header is fixed (no mtime, no file name, OS byte 255 "unknown"), whatever the platform.
 *
 * The tar stream is hashed before compression (the layer's diff_id, which goes in the image config)
 * and after (the blob's digest, which goes in the manifest). Pure except for reading the files and
 * writing the layer; the header functions are exported for tests.
 */






const BLOCK = 512;
/** The one mtime every entry gets: SOURCE_DATE_EPOCH when set (reproducible-builds.org), else 0. */
function layerMtime(env = process.env) {
    const value = env.SOURCE_DATE_EPOCH;
    return value && /^\d+$/.test(value) ? Number(value) : 0;
}
/** `/var/task/x/` → `var/task/x`: image paths in a layer are relative, with no trailing slash. */
function cleanImagePath(p) {
    if (p.split('/').includes('..'))
        throw new Error(`not a path inside the image: ${p}`);
    const norm = external_node_path_.posix.normalize(`/${p}`).replace(/^\/+/, '').replace(/\/+$/, '');
    if (norm === '' || norm === '.' || norm.split('/').includes('..'))
        throw new Error(`not a path inside the image: ${p}`);
    return norm;
}
/** Every file, folder and symlink under `dir`, placed under `imagePath` (sorted later). */
function entriesFromDir(dir, imagePath, skip = () => false) {
    const base = cleanImagePath(imagePath);
    const entries = [{ type: 'dir', path: base }];
    const walk = (abs, rel) => {
        for (const name of external_node_fs_.readdirSync(abs)) {
            const childRel = rel ? `${rel}/${name}` : name;
            if (skip(childRel))
                continue;
            const childAbs = external_node_path_.join(abs, name);
            const stat = external_node_fs_.lstatSync(childAbs);
            const at = `${base}/${childRel}`;
            if (stat.isSymbolicLink())
                entries.push({ type: 'symlink', path: at, target: external_node_fs_.readlinkSync(childAbs) });
            else if (stat.isDirectory()) {
                entries.push({ type: 'dir', path: at });
                walk(childAbs, childRel);
            }
            else if (stat.isFile())
                entries.push({ type: 'file', path: at, mode: fileMode(stat.mode), source: childAbs });
        }
    };
    walk(dir, '');
    return entries;
}
function fileMode(mode) {
    return mode & 0o111 ? 0o755 : 0o644;
}
/** Sorted by path, one entry per path (the last given wins), with every parent folder present. */
function normalizeEntries(entries) {
    const byPath = new Map();
    for (const entry of entries) {
        const p = cleanImagePath(entry.path);
        byPath.set(p, { ...entry, path: p });
    }
    for (const p of [...byPath.keys()]) {
        const parts = p.split('/');
        for (let i = 1; i < parts.length; i++) {
            const parent = parts.slice(0, i).join('/');
            const existing = byPath.get(parent);
            if (!existing)
                byPath.set(parent, { type: 'dir', path: parent });
            else if (existing.type !== 'dir')
                throw new Error(`${parent} is both a ${existing.type} and a folder in one layer`);
        }
    }
    // Byte order of the UTF-8 paths, so the order does not depend on the locale or the file system.
    return [...byPath.values()].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
}
function octal(value, width) {
    // width includes the terminating NUL
    return `${value.toString(8).padStart(width - 1, '0')}\0`;
}
function writeString(block, offset, width, value) {
    const bytes = Buffer.from(value, 'utf8');
    if (bytes.length > width)
        throw new Error(`tar field too long: ${value}`);
    bytes.copy(block, offset);
}
function isAscii(value) {
    return /^[\x20-\x7e]*$/.test(value);
}
/** name/prefix split of ustar, or undefined when the path does not fit (then PAX carries it). */
function splitUstarName(name) {
    if (!isAscii(name))
        return undefined;
    if (name.length <= 100)
        return { name, prefix: '' };
    // The prefix ends at a '/', which is not stored; prefix at most 155, name at most 100.
    for (let i = name.length - 1; i > 0; i--) {
        if (name[i] !== '/')
            continue;
        const prefix = name.slice(0, i);
        const rest = name.slice(i + 1);
        if (prefix.length <= 155 && rest.length <= 100 && rest.length > 0)
            return { name: rest, prefix };
        if (prefix.length <= 155)
            break;
    }
    return undefined;
}
/** One PAX record: `<len> <key>=<value>\n`, where len counts the whole record, itself included. */
function paxRecord(key, value) {
    const body = ` ${key}=${value}\n`;
    const bodyLength = Buffer.byteLength(body);
    let length = bodyLength + String(bodyLength).length;
    if (String(length).length + bodyLength !== length)
        length = bodyLength + String(length).length;
    return `${length}${body}`;
}
function ustarBlock(fields, split) {
    const block = Buffer.alloc(BLOCK, 0);
    writeString(block, 0, 100, split.name);
    writeString(block, 100, 8, octal(fields.mode, 8));
    writeString(block, 108, 8, octal(0, 8));
    writeString(block, 116, 8, octal(0, 8));
    writeString(block, 124, 12, octal(fields.size, 12));
    writeString(block, 136, 12, octal(fields.mtime, 12));
    block.fill(0x20, 148, 156); // checksum field counts as spaces while summing
    writeString(block, 156, 1, fields.typeflag);
    if (fields.linkname)
        writeString(block, 157, 100, fields.linkname);
    writeString(block, 257, 6, 'ustar\0');
    writeString(block, 263, 2, '00');
    writeString(block, 329, 8, octal(0, 8));
    writeString(block, 337, 8, octal(0, 8));
    writeString(block, 345, 155, split.prefix);
    let sum = 0;
    for (const byte of block)
        sum += byte;
    writeString(block, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
    return block;
}
function padding(size) {
    const rest = size % BLOCK;
    return Buffer.alloc(rest === 0 ? 0 : BLOCK - rest, 0);
}
/** The header block(s) of one entry: a PAX header first when the path or link target needs one. */
function tarHeader(fields) {
    const split = splitUstarName(fields.name);
    const linkFits = fields.linkname === undefined || (isAscii(fields.linkname) && fields.linkname.length <= 100);
    const sizeFits = fields.size < 8 ** 11;
    if (split && linkFits && sizeFits)
        return ustarBlock(fields, split);
    let records = '';
    if (!split)
        records += paxRecord('path', fields.name);
    if (!linkFits)
        records += paxRecord('linkpath', fields.linkname);
    if (!sizeFits)
        records += paxRecord('size', String(fields.size));
    const data = Buffer.from(records, 'utf8');
    const paxName = `PaxHeaders/${asciiTail(fields.name, 89)}`;
    const pax = ustarBlock({ name: paxName, mode: 0o644, size: data.length, mtime: fields.mtime, typeflag: 'x' }, { name: paxName, prefix: '' });
    const fallback = asciiTail(fields.name, 100);
    const main = ustarBlock({
        ...fields,
        size: sizeFits ? fields.size : 0,
        linkname: linkFits ? fields.linkname : asciiTail(fields.linkname ?? '', 100),
    }, split ?? { name: fallback, prefix: '' });
    return Buffer.concat([pax, data, padding(data.length), main]);
}
function asciiTail(value, max) {
    const ascii = value.replace(/[^\x20-\x7e]/g, '_');
    return ascii.length <= max ? ascii : ascii.slice(ascii.length - max);
}
/** The tar stream of the (normalised) entries, chunk by chunk; files are read one at a time. */
async function* tarChunks(entries, mtime) {
    for (const entry of normalizeEntries(entries)) {
        if (entry.type === 'dir') {
            yield tarHeader({ name: `${entry.path}/`, mode: 0o755, size: 0, mtime, typeflag: '5' });
        }
        else if (entry.type === 'symlink') {
            yield tarHeader({ name: entry.path, mode: 0o777, size: 0, mtime, typeflag: '2', linkname: entry.target });
        }
        else {
            const data = 'content' in entry ? entry.content : await external_node_fs_.promises.readFile(entry.source);
            yield tarHeader({ name: entry.path, mode: entry.mode, size: data.length, mtime, typeflag: '0' });
            yield data;
            const pad = padding(data.length);
            if (pad.length)
                yield pad;
        }
    }
    yield Buffer.alloc(BLOCK * 2, 0);
}
/** Hashes what passes through, and can rewrite the first bytes (the gzip header). */
class Tap extends external_node_stream_.Transform {
    patch;
    hash = (0,external_node_crypto_.createHash)('sha256');
    size = 0;
    constructor(patch) {
        super();
        this.patch = patch;
    }
    _transform(chunk, _encoding, callback) {
        const out = this.patch ? this.patch(chunk, this.size) : chunk;
        this.hash.update(out);
        this.size += out.length;
        callback(null, out);
    }
}
/** Bytes 4-7 (mtime) zero, byte 8 (extra flags) zero, byte 9 (OS) 255: the same header on every platform. */
function fixGzipHeader(chunk, offset) {
    if (offset >= 10)
        return chunk;
    const out = Buffer.from(chunk);
    for (let i = 0; i < out.length && offset + i < 10; i++) {
        const at = offset + i;
        if (at >= 4 && at <= 8)
            out[i] = 0;
        if (at === 9)
            out[i] = 255;
    }
    return out;
}
/** Writes the layer to `file` (through a temporary file, renamed at the end). */
async function writeLayer(entries, file, options = {}) {
    const mtime = options.mtime ?? layerMtime();
    const raw = new Tap();
    const compressed = new Tap(fixGzipHeader);
    external_node_fs_.mkdirSync(external_node_path_.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    try {
        await (0,promises_.pipeline)(external_node_stream_.Readable.from(tarChunks(entries, mtime)), raw, external_node_zlib_.createGzip({ level: options.level ?? 6 }), compressed, external_node_fs_.createWriteStream(tmp));
        external_node_fs_.renameSync(tmp, file);
    }
    finally {
        external_node_fs_.rmSync(tmp, { force: true });
    }
    return {
        digest: `sha256:${compressed.hash.digest('hex')}`,
        diffId: `sha256:${raw.hash.digest('hex')}`,
        size: compressed.size,
        file,
    };
}
/** The uncompressed tar of the entries, in memory (for small layers and tests). */
async function tarBuffer(entries, mtime = 0) {
    const chunks = [];
    for await (const chunk of tarChunks(entries, mtime))
        chunks.push(chunk);
    return Buffer.concat(chunks);
}
/** Reads a tar (ustar + PAX path/linkpath/size): what the tests use to look inside layers. */
function readTar(tar) {
    const members = [];
    let offset = 0;
    let pax = {};
    const field = (block, start, width) => {
        const end = block.indexOf(0, start);
        return block.toString('utf8', start, end === -1 || end > start + width ? start + width : end);
    };
    const num = (block, start, width) => parseInt(field(block, start, width).trim() || '0', 8);
    while (offset + BLOCK <= tar.length) {
        const block = tar.subarray(offset, offset + BLOCK);
        if (block.every((b) => b === 0))
            break;
        const typeflag = String.fromCharCode(block[156]);
        let size = num(block, 124, 12);
        const prefix = field(block, 345, 155);
        let name = prefix ? `${prefix}/${field(block, 0, 100)}` : field(block, 0, 100);
        let linkname = field(block, 157, 100);
        offset += BLOCK;
        if (typeflag === 'x') {
            // Record lengths count bytes, not characters.
            const data = tar.subarray(offset, offset + size);
            pax = {};
            let i = 0;
            while (i < data.length) {
                const space = data.indexOf(0x20, i);
                const length = Number(data.toString('ascii', i, space));
                const record = data.toString('utf8', space + 1, i + length - 1);
                const eq = record.indexOf('=');
                pax[record.slice(0, eq)] = record.slice(eq + 1);
                i += length;
            }
            offset += size + padding(size).length;
            continue;
        }
        if (pax.path !== undefined)
            name = pax.path;
        if (pax.linkpath !== undefined)
            linkname = pax.linkpath;
        if (pax.size !== undefined)
            size = Number(pax.size);
        pax = {};
        const content = tar.subarray(offset, offset + size);
        offset += size + padding(size).length;
        members.push({
            name: name.replace(/\/$/, ''),
            type: typeflag === '0' || typeflag === '\0'
                ? 'file'
                : typeflag === '5'
                    ? 'dir'
                    : typeflag === '2'
                        ? 'symlink'
                        : 'other',
            mode: num(block, 100, 8),
            uid: num(block, 108, 8),
            gid: num(block, 116, 8),
            mtime: num(block, 136, 12),
            size,
            linkname,
            content: Buffer.from(content),
        });
    }
    return members;
}

// EXTERNAL MODULE: ./src/build/wheel.ts
var wheel = __webpack_require__(9375);
;// CONCATENATED MODULE: ./src/build/oci.ts
/**
 * The `oci` builder: the image built and pushed without a Docker engine.
 *
 * 1. The base image's manifest (for the platform, through its index) and config are pulled from its
 *    registry; its layers are not downloaded unless the target registry lacks them.
 * 2. Layers are built on the runner, each a deterministic tar.gz (tar.ts): the wheel's dependencies
 *    (pip for the image's platform and Python, from the lock `package` wrote: lock.ts), the wheel, the conf
 *    of the env, the action's runtime.
 * 3. The image config is the base's with our layers' diff_ids, Cmd (the Lambda handler), WorkingDir and
 *    Env; the manifest lists the base's layers then ours, in the base's manifest format.
 * 4. The push sends only what the repository lacks: nothing at all when the manifest's digest is there; the
 *    manifest goes by its digest (the tags are set with ECR's PutImage afterwards).
 *
 * Same inputs, same digest: the dependencies are the lock's (exact versions, files checked against their
 * hashes), layers are deterministic, the config's dates are fixed (SOURCE_DATE_EPOCH or 1970), JSON is
 * written in one order. The dependency layer is cached under `cacheDir`, keyed by the lock, the Python
 * version and the platform, so a rebuild after a code change runs no pip.
 */










/** Bumped when the layout of a layer changes, so old cached layers are not reused. */
const LAYER_FORMAT = 1;
function blobPath(cacheDir, digest) {
    const [algorithm, hex] = digest.split(':');
    return external_node_path_.join(cacheDir, 'blobs', algorithm, hex);
}
function isoDate(seconds) {
    return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}
/** The base's config with our layers and settings: pure, and the same bytes for the same input. */
function imageConfig(base, changes) {
    const config = JSON.parse(JSON.stringify(base));
    config.created = changes.created;
    const settings = { ...(config.config ?? {}) };
    const env = new Map((settings.Env ?? []).map((e) => [e.split('=')[0], e]));
    for (const [key, value] of Object.entries(changes.env))
        env.set(key, `${key}=${value}`);
    settings.Env = [...env.values()];
    if (changes.entrypoint)
        settings.Entrypoint = changes.entrypoint;
    settings.Cmd = changes.cmd;
    settings.WorkingDir = changes.workingDir;
    if (changes.labels && Object.keys(changes.labels).length) {
        const labels = { ...(settings.Labels ?? {}), ...changes.labels };
        settings.Labels = Object.fromEntries(Object.keys(labels)
            .sort()
            .map((k) => [k, labels[k]]));
    }
    config.config = settings;
    config.rootfs = { type: 'layers', diff_ids: [...(config.rootfs?.diff_ids ?? []), ...changes.diffIds] };
    // History entries line up with the layers; a base without history gets none added.
    if (Array.isArray(config.history) && config.history.length) {
        config.history = [
            ...config.history,
            ...changes.layerNames.map((name) => ({
                created: changes.created,
                created_by: `kedro-aws-action: ${name}`,
                comment: 'kedro-aws-action',
            })),
        ];
    }
    return Buffer.from(JSON.stringify(config));
}
/** The manifest: the base's layers, then ours, in the base's format (Docker v2 or OCI). */
function imageManifest(mediaType, config, baseLayers, layers) {
    const docker = mediaType === registry/* MEDIA */.Rn.dockerManifest;
    const manifest = {
        schemaVersion: 2,
        mediaType: docker ? registry/* MEDIA */.Rn.dockerManifest : registry/* MEDIA */.Rn.ociManifest,
        config: { mediaType: docker ? registry/* MEDIA */.Rn.dockerConfig : registry/* MEDIA */.Rn.ociConfig, digest: config.digest, size: config.size },
        layers: [
            ...baseLayers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
            ...layers.map((l) => ({
                mediaType: docker ? registry/* MEDIA */.Rn.dockerLayerGzip : registry/* MEDIA */.Rn.ociLayerGzip,
                digest: l.digest,
                size: l.size,
            })),
        ],
    };
    return Buffer.from(JSON.stringify(manifest));
}
/** What of a lock decides the packages installed: its options, and each pin with its hashes. */
function lockKey(lock) {
    return [
        ...lock.parsed.options,
        ...lock.parsed.requirements
            .map((r) => `${r.name.toLowerCase()}${r.extras}${r.url ? ` @ ${r.url}` : `==${r.version}`} ${[...r.hashes].sort().join(' ')}`)
            .sort(),
    ];
}
/** Key of the dependency layer in the cache: what decides its content. */
function dependencyCacheKey(requirements, pythonVersion, platform, mtime) {
    const python = (0,layout/* parsePythonVersion */.yn)(pythonVersion);
    return (0,external_node_crypto_.createHash)('sha256')
        .update(JSON.stringify({
        LAYER_FORMAT,
        requirements,
        python: python.text,
        platforms: (0,layout/* pipPlatforms */.Of)(platform, python),
        mtime,
    }))
        .digest('hex')
        .slice(0, 32);
}
async function layerFromDir(name, dir, imagePath, cacheDir, mtime, mediaType) {
    const tmp = external_node_path_.join(cacheDir, 'tmp', `${name}.tar.gz`);
    const blob = await writeLayer(entriesFromDir(dir, imagePath), tmp, { mtime });
    const file = blobPath(cacheDir, blob.digest);
    external_node_fs_.mkdirSync(external_node_path_.dirname(file), { recursive: true });
    external_node_fs_.renameSync(tmp, file);
    return { name, blob: { ...blob, file }, mediaType, cached: false };
}
function readCachedLayer(file, cacheDir) {
    try {
        const meta = JSON.parse(external_node_fs_.readFileSync(file, 'utf8'));
        const blob = blobPath(cacheDir, meta.digest);
        if (external_node_fs_.existsSync(blob) && external_node_fs_.statSync(blob).size === meta.size)
            return { ...meta, file: blob };
    }
    catch {
        // no cache entry
    }
    return undefined;
}
/** Builds the image's layers, config and manifest on the runner (nothing is pushed). */
async function buildImage(o) {
    const log = o.log ?? (() => undefined);
    const mtime = o.mtime ?? layerMtime();
    const python = (0,layout/* parsePythonVersion */.yn)(o.pythonVersion);
    const arch = (0,layout/* platformArchitecture */.PL)(o.platform);
    external_node_fs_.mkdirSync(o.cacheDir, { recursive: true });
    const work = external_node_path_.join(o.cacheDir, 'work');
    external_node_fs_.rmSync(work, { recursive: true, force: true });
    external_node_fs_.mkdirSync(work, { recursive: true });
    // The base: manifest for the platform, and its config (small; kept in the blob store).
    const ref = (0,registry/* parseImageRef */.Q)(o.baseImage);
    log(`Base image ${o.baseImage} (${o.platform})`);
    const base = await (0,registry/* resolveImage */.AT)(o.baseClient, ref.repository, ref.reference, { os: 'linux', architecture: arch });
    if (base.mediaType !== registry/* MEDIA */.Rn.dockerManifest && base.mediaType !== registry/* MEDIA */.Rn.ociManifest) {
        throw new errors/* ActionError */.l(`the base image ${o.baseImage} has a manifest of type ${base.mediaType}, which the oci builder cannot extend`);
    }
    const baseConfigFile = blobPath(o.cacheDir, base.manifest.config.digest);
    let baseConfigBytes;
    if (external_node_fs_.existsSync(baseConfigFile) && (0,registry/* sha256Digest */.sI)(external_node_fs_.readFileSync(baseConfigFile)) === base.manifest.config.digest) {
        baseConfigBytes = external_node_fs_.readFileSync(baseConfigFile);
    }
    else {
        baseConfigBytes = await o.baseClient.getBlob(ref.repository, base.manifest.config.digest);
        external_node_fs_.mkdirSync(external_node_path_.dirname(baseConfigFile), { recursive: true });
        external_node_fs_.writeFileSync(baseConfigFile, baseConfigBytes);
    }
    const baseConfig = JSON.parse(baseConfigBytes.toString('utf8'));
    if ((baseConfig.architecture && baseConfig.architecture !== arch) || (baseConfig.os && baseConfig.os !== 'linux')) {
        throw new errors/* ActionError */.l(`the base image ${o.baseImage} is ${baseConfig.os}/${baseConfig.architecture}, not ${o.platform}`);
    }
    const layerMedia = base.mediaType === registry/* MEDIA */.Rn.dockerManifest ? registry/* MEDIA */.Rn.dockerLayerGzip : registry/* MEDIA */.Rn.ociLayerGzip;
    const metadata = (0,wheel/* readWheelMetadata */.rN)(o.wheel);
    const pip = { python: o.python, platform: o.platform, pythonVersion: python, env: o.pipEnv };
    const layers = [];
    // 1. Dependencies, from the lock (cached by what decides them).
    const locked = o.lock?.parsed.requirements ?? [];
    if (o.dependencies === 'skip') {
        log(`Dependencies: skipped (${metadata.requirements.length} requirement(s) of the wheel not installed)`);
    }
    else if (!o.lock) {
        throw new errors/* ActionError */.l('the oci builder installs the dependencies from a lock, and none was given');
    }
    else if (locked.length === 0) {
        log(`Dependencies: the lock ${o.lock.file} holds no package`);
    }
    else {
        const key = dependencyCacheKey(lockKey(o.lock), python.text, o.platform, mtime);
        const index = external_node_path_.join(o.cacheDir, 'layers', `dependencies-${key}.json`);
        const cached = readCachedLayer(index, o.cacheDir);
        if (cached) {
            log(`Dependencies: ${locked.length} locked package(s), layer ${cached.digest.slice(0, 19)} from the cache`);
            layers.push({ name: 'dependencies', blob: cached, mediaType: layerMedia, cached: true });
        }
        else {
            log(`Dependencies: pip install of the ${locked.length} package(s) of the lock${o.lock.hashed ? ' (hashes checked)' : ''} ` +
                `for CPython ${python.text} ${o.platform}`);
            const dir = external_node_path_.join(work, 'dependencies');
            await (0,build_pip/* installDependencies */.bb)(o.lock, {
                ...pip,
                target: dir,
                label: 'pip (dependencies)',
                direct: metadata.requirements,
            });
            const layer = await layerFromDir('dependencies', dir, layout/* TASK_ROOT */.tW, o.cacheDir, mtime, layerMedia);
            external_node_fs_.mkdirSync(external_node_path_.dirname(index), { recursive: true });
            external_node_fs_.writeFileSync(index, JSON.stringify({ digest: layer.blob.digest, diffId: layer.blob.diffId, size: layer.blob.size }));
            layers.push(layer);
        }
    }
    // 2. The project wheel, without dependencies.
    const wheelDir = external_node_path_.join(work, 'wheel');
    await (0,build_pip/* installWheel */.NP)(o.wheel, { ...pip, target: wheelDir, label: 'pip (wheel)' });
    layers.push(await layerFromDir('wheel', wheelDir, layout/* TASK_ROOT */.tW, o.cacheDir, mtime, layerMedia));
    // 3. The conf of the env.
    const conf = await (0,build_context/* selectConf */.$m)(o.confArchive, o.env, external_node_path_.join(work, 'conf'));
    layers.push(await layerFromDir('conf', conf.dir, layout/* CONF_DIR */.d$, o.cacheDir, mtime, layerMedia));
    // 4. The runtime.
    const runtimeDir = external_node_path_.join(work, layout/* RUNTIME_PACKAGE */.y_);
    (0,build_context/* copyRuntime */.G0)(runtimeDir);
    layers.push(await layerFromDir('runtime', runtimeDir, `${layout/* TASK_ROOT */.tW}/${layout/* RUNTIME_PACKAGE */.y_}`, o.cacheDir, mtime, layerMedia));
    external_node_fs_.rmSync(work, { recursive: true, force: true });
    const config = imageConfig(baseConfig, {
        diffIds: layers.map((l) => l.blob.diffId),
        layerNames: layers.map((l) => l.name),
        ...(0,layout/* imageSettings */.Ty)(o.kind ?? 'lambda'),
        workingDir: layout/* TASK_ROOT */.tW,
        created: isoDate(mtime),
        ...(o.labels ? { labels: o.labels } : {}),
    });
    const configDigest = (0,registry/* sha256Digest */.sI)(config);
    external_node_fs_.mkdirSync(external_node_path_.dirname(blobPath(o.cacheDir, configDigest)), { recursive: true });
    external_node_fs_.writeFileSync(blobPath(o.cacheDir, configDigest), config);
    const manifest = imageManifest(base.mediaType, { digest: configDigest, size: config.length }, base.manifest.layers, layers.map((l) => l.blob));
    const totalBytes = base.manifest.layers.reduce((sum, l) => sum + l.size, 0) +
        layers.reduce((sum, l) => sum + l.blob.size, 0) +
        config.length;
    for (const layer of layers)
        log(`  layer ${layer.name}: ${layer.blob.digest.slice(0, 19)} ${formatBytes(layer.blob.size)}${layer.cached ? ' (cached)' : ''}`);
    return {
        manifest,
        manifestDigest: (0,registry/* sha256Digest */.sI)(manifest),
        mediaType: base.mediaType === registry/* MEDIA */.Rn.dockerManifest ? registry/* MEDIA */.Rn.dockerManifest : registry/* MEDIA */.Rn.ociManifest,
        config,
        configDigest,
        base: {
            ref: o.baseImage,
            client: o.baseClient,
            repository: ref.repository,
            digest: base.digest,
            layers: base.manifest.layers,
        },
        layers,
        totalBytes,
        conf: { included: conf.included, excluded: conf.excluded },
        requirements: metadata.requirements,
    };
}
function formatBytes(bytes) {
    if (bytes < 1024)
        return `${bytes} B`;
    if (bytes < 1024 * 1024)
        return `${(bytes / 1024).toFixed(1)} KiB`;
    return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
/**
 * Sends what the repository lacks: base layers (mounted when the base is in the same registry), ours, the
 * config, then the manifest by its digest. No tag: the caller tags the image with ECR's PutImage
 * (src/aws/ecr.ts tagImage), which an immutable repository answers with an error of its own.
 */
async function pushImage(image, o) {
    const log = o.log ?? (() => undefined);
    const { client, repository } = o;
    const before = { ...client.stats };
    const digest = image.manifestDigest;
    let alreadyThere = (await o.alreadyThere?.(digest)) ?? false;
    if (!alreadyThere)
        alreadyThere = (await client.headManifest(repository, digest)) === digest;
    if (alreadyThere) {
        log(`${client.host}/${repository}@${digest} is already there: nothing to push`);
    }
    else {
        const sameRegistry = image.base.client.host === client.host;
        for (const layer of image.base.layers) {
            const file = blobPath(o.cacheDir, layer.digest);
            const outcome = await client.pushBlob(repository, layer.digest, async () => {
                if (external_node_fs_.existsSync(file))
                    return external_node_fs_.readFileSync(file);
                const bytes = await image.base.client.getBlob(image.base.repository, layer.digest);
                external_node_fs_.mkdirSync(external_node_path_.dirname(file), { recursive: true });
                external_node_fs_.writeFileSync(file, bytes);
                return bytes;
            }, sameRegistry ? image.base.repository : undefined);
            log(`  base layer ${layer.digest.slice(0, 19)} ${formatBytes(layer.size)}: ${outcome}`);
        }
        for (const layer of image.layers) {
            const outcome = await client.pushBlob(repository, layer.blob.digest, async () => external_node_fs_.readFileSync(layer.blob.file));
            log(`  layer ${layer.name} ${layer.blob.digest.slice(0, 19)} ${formatBytes(layer.blob.size)}: ${outcome}`);
        }
        await client.pushBlob(repository, image.configDigest, async () => image.config);
        const stored = await client.putManifest(repository, digest, image.mediaType, image.manifest);
        if (stored !== digest)
            throw new errors/* ActionError */.l(`${client.host}/${repository} stored the manifest as ${stored}, not ${digest}`);
    }
    const stats = {
        blobsUploaded: client.stats.blobsUploaded - before.blobsUploaded,
        bytesUploaded: client.stats.bytesUploaded - before.bytesUploaded,
        blobsMounted: client.stats.blobsMounted - before.blobsMounted,
        blobsPresent: client.stats.blobsPresent - before.blobsPresent,
        manifestsPut: client.stats.manifestsPut - before.manifestsPut,
        bytesDownloaded: image.base.client.stats.bytesDownloaded,
    };
    return { digest, imageUri: `${client.host}/${repository}@${digest}`, alreadyThere, stats };
}

// EXTERNAL MODULE: ./src/build/provenance.ts
var build_provenance = __webpack_require__(8461);
// EXTERNAL MODULE: ./src/context/common.ts
var common = __webpack_require__(9518);
// EXTERNAL MODULE: ./src/context/image.ts
var context_image = __webpack_require__(9330);
// EXTERNAL MODULE: ./src/inputs/index.ts
var src_inputs = __webpack_require__(9901);
// EXTERNAL MODULE: ./src/lib/files.ts
var files = __webpack_require__(228);
// EXTERNAL MODULE: ./src/aws/batch.ts
var aws_batch = __webpack_require__(4469);
// EXTERNAL MODULE: ./src/targets/batch/deploy.ts + 1 modules
var deploy = __webpack_require__(5482);
// EXTERNAL MODULE: ./src/plan/batch.ts
var plan_batch = __webpack_require__(9319);
;// CONCATENATED MODULE: ./src/targets/outage.ts
/**
 * How the waits of every backend go through an outage: network errors, server errors and throttling
 * (aws/errors.ts says which) count as "still waiting" for up to five minutes in a row (lib/wait.ts),
 * with a notice at most once a minute in the log and on the run's page, and a line when AWS answers
 * again. What a wait was doing when it gave up, and where its run is, is said by the backend.
 */




const awsOutagePolicy = {
    transient: aws_errors/* isTransientAwsError */.Sc,
    notice: (message) => core.notice(message, { title: 'kedro-aws-action: AWS calls failing, still waiting' }),
    info: (message) => core.info(message),
};
/**
 * The error a wait ended on, said as what the step was doing (`waiting for execution …`) and what is
 * left of the run (`left`: e.g. "The execution was left running: <link>"). An outage names its last
 * failed call; any other error is the call's own (aws/errors.ts names it).
 */
function waitFailure(error, doing, left) {
    const message = error instanceof Error ? error.message : String(error);
    const said = error instanceof OutageError ? `AWS calls kept failing while ${doing}: ${message}` : `While ${doing}: ${message}`;
    return new errors/* ActionError */.l(left ? `${said}\n${left}` : said);
}

// EXTERNAL MODULE: ./src/context/publish.ts + 3 modules
var publish = __webpack_require__(3781);
// EXTERNAL MODULE: ./src/report/links.ts
var links = __webpack_require__(3303);
// EXTERNAL MODULE: ./src/report/summary.ts
var summary = __webpack_require__(7994);
;// CONCATENATED MODULE: ./src/targets/batch/report.ts



/** The CloudWatch log group of Batch jobs (the awslogs driver's default). */
const BATCH_LOG_GROUP = '/aws/batch/job';
/** The log stream of a job's last attempt (or of the job). */
function logStreamOf(job) {
    return job.attempts?.at(-1)?.container?.logStreamName ?? job.container?.logStreamName ?? undefined;
}
/** The failure as a message a user can act on: which group, why Batch says it failed, the container, the logs. */
function batchFailureMessage(group, job, fallbackRegion) {
    const region = job.jobArn ? (0,links/* arnRegion */.yC)(job.jobArn) : fallbackRegion;
    const lines = [`group "${group}" failed: ${job.statusReason ?? 'Batch gave no status reason'}`];
    const container = job.container;
    const attempts = job.attempts ?? [];
    if (container?.exitCode !== undefined || container?.reason) {
        const exit = container.exitCode === undefined ? 'no exit code' : `exit code ${container.exitCode}`;
        lines.push(`container: ${exit}${container.reason ? `, ${container.reason}` : ''}`);
    }
    if (attempts.length > 1) {
        const each = attempts.map((a, i) => {
            const code = a.container?.exitCode === undefined ? '' : ` exit code ${a.container.exitCode}`;
            return `#${i + 1}${code}${a.statusReason ? ` (${a.statusReason})` : ''}`;
        });
        lines.push(`attempts: ${each.join('; ')}`);
    }
    const stream = logStreamOf(job);
    lines.push(stream
        ? `logs: ${BATCH_LOG_GROUP}, stream ${stream} (${(0,links/* logStreamConsoleUrl */.ld)(region, BATCH_LOG_GROUP, stream)})`
        : `logs: none (the container never started); ${BATCH_LOG_GROUP} (${(0,links/* logGroupConsoleUrl */.sM)(region, BATCH_LOG_GROUP)})`);
    if (job.jobId)
        lines.push(`job: ${job.jobName ?? ''} ${job.jobId} (${(0,links/* batchJobConsoleUrl */.or)(region, job.jobId)})`);
    return lines.join('\n');
}
function reportStatus(status) {
    if (status === 'SUCCEEDED' || status === 'FAILED')
        return status;
    if (status === 'STARTING' || status === 'RUNNING')
        return 'RUNNING';
    return 'PENDING';
}
/**
 * The job summary of a Batch run: the graph coloured by status, the groups' times, the jobs, the
 * failure, the outputs verify checked (`checks`, when verify writes it) and those it did not (`unchecked`).
 */
async function writeBatchSummary(ctx, deployment, run) {
    const { outcome, region } = run;
    const logsOf = (job) => {
        const stream = job ? logStreamOf(job) : undefined;
        return stream
            ? { group: BATCH_LOG_GROUP, stream, url: (0,links/* logStreamConsoleUrl */.ld)(region, BATCH_LOG_GROUP, stream) }
            : undefined;
    };
    const failureJob = outcome.failure?.job;
    const report = {
        project: deployment.project,
        stage: deployment.stage,
        env: deployment.env,
        target: 'batch',
        executor: 'aws',
        runId: run.runId,
        status: outcome.status,
        jobs: Object.fromEntries(Object.entries(run.groupIds).map(([g, jobId]) => [g, { jobId, consoleUrl: (0,links/* batchJobConsoleUrl */.or)(region, jobId) }])),
        groups: (0,summary/* reportGroupsFromPlan */.WC)(deployment).map((g) => {
            const p = outcome.progress.get(g.name);
            const job = p?.detail;
            const logs = logsOf(job);
            return {
                ...g,
                compute: 'batch',
                status: reportStatus(p?.status ?? 'PENDING'),
                ...(job?.startedAt ? { start: new Date(job.startedAt) } : {}),
                ...(job?.stoppedAt ? { end: new Date(job.stoppedAt) } : {}),
                ...(logs ? { logs } : {}),
            };
        }),
        ...(outcome.failure && failureJob
            ? (() => {
                const logs = logsOf(failureJob);
                return {
                    failure: {
                        group: outcome.failure.group,
                        error: failureJob.statusReason ?? 'FAILED',
                        cause: batchFailureMessage(outcome.failure.group, failureJob, region),
                        ...(logs ? { logs } : {}),
                    },
                };
            })()
            : {}),
        ...(0,summary/* reportFromVerify */.cI)(run.checks, run.unchecked),
    };
    await (0,publish/* publishReport */.S3)(ctx, report);
}

// EXTERNAL MODULE: ./src/report/format.ts
var format = __webpack_require__(2011);
;// CONCATENATED MODULE: ./src/targets/batch/wait.ts
/**
 * Waiting on a Batch run. One DescribeJobs call per 100 jobs, and only for the jobs that can have
 * moved: a group's job is asked about once all the groups it waits for have SUCCEEDED (before that it
 * can only sit in PENDING, or fail because a dependency failed, which the dependency's own job shows
 * first), and never again once it has finished. Polls back off from `poll-interval-seconds` to 30 s
 * with jitter (src/wait.ts). Each group's transitions are logged; a job that sits in RUNNABLE longer
 * than a threshold gets a warning (the queue has no capacity for it). The first failed group ends the
 * wait; the run's jobs that do not depend on it are terminated (Batch fails those that do), as Step
 * Functions stops the other branches of a failed execution. The wait goes on through an outage
 * (network errors, server errors, throttling) for five minutes in a row, with notices (../outage.ts).
 */





/** A job in RUNNABLE longer than this many minutes gets a warning (no capacity). */
const DEFAULT_RUNNABLE_WARNING_MINUTES = 10;
function groupJob(graph, group) {
    return graph.jobs[graph.groupJob.get(group)];
}
/** The wait gave up after `timeoutMinutes`; `progress` is where each group's job was last seen. */
class JobsTimeoutError extends WaitTimeoutError {
    progress;
    constructor(waitedMs, progress) {
        super(waitedMs);
        this.progress = progress;
    }
}
/**
 * Polls the group jobs of a run until all SUCCEEDED or one FAILED (see the module comment for which
 * jobs each poll asks about). Throws a JobsTimeoutError (a WaitTimeoutError) after `timeoutMinutes`,
 * OutageError after five minutes of failing calls, and at once an error that waiting would not fix.
 */
async function waitForJobs(client, graph, ids, options) {
    const groups = graph.jobs.filter((j) => j.kind === 'group').map((j) => j.group);
    const progress = new Map(groups.map((g) => [g, { status: 'SUBMITTED' }]));
    const groupOfId = new Map(groups.map((g) => [ids[graph.groupJob.get(g)], g]));
    const unfinished = new Set(groups);
    const failed = [];
    const warnedMissing = new Set();
    const thresholdMs = options.runnableWarningMinutes * 60_000;
    const poll = pollUntil(async () => {
        const now = options.clock.now();
        const ready = [...unfinished].filter((g) => groupJob(graph, g).waitsFor.every((d) => progress.get(d)?.status === 'SUCCEEDED'));
        const asked = ready.map((g) => ids[graph.groupJob.get(g)]);
        const details = await (0,aws_batch/* describeJobs */.w7)(client, asked);
        const seen = new Set();
        for (const job of details) {
            const group = groupOfId.get(job.jobId ?? '');
            if (group === undefined)
                continue;
            seen.add(group);
            const p = progress.get(group);
            const status = job.status ?? 'UNKNOWN';
            p.detail = job;
            if (status !== p.status) {
                core.info(`  ${group}: ${p.status} → ${status}${transitionNote(job)}`);
                p.status = status;
            }
            if (status === 'RUNNABLE')
                p.runnableSince ??= now;
            else
                p.runnableSince = undefined;
            if (aws_batch/* FINISHED_STATUSES */.oM.has(status)) {
                unfinished.delete(group);
                if (status === 'FAILED')
                    failed.push(group);
            }
        }
        for (const group of ready) {
            if (!seen.has(group) && !warnedMissing.has(group)) {
                warnedMissing.add(group);
                core.warning(`Batch does not know the job of group "${group}" (${ids[graph.groupJob.get(group)]}) any more`);
            }
        }
        warnLongRunnable(progress, now, thresholdMs, options.jobQueue);
        if (failed.length > 0) {
            const order = new Map(groups.map((g, i) => [g, i]));
            const first = [...failed].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0))[0];
            return {
                done: true,
                value: { status: 'FAILED', failure: { group: first, job: progress.get(first).detail }, progress },
            };
        }
        if (unfinished.size === 0)
            return { done: true, value: { status: 'SUCCEEDED', progress } };
        return { done: false };
    }, {
        timeoutMs: options.timeoutMinutes * 60_000,
        backoff: { initialSeconds: options.pollIntervalSeconds, maxSeconds: 30, factor: 1.5 },
        clock: options.clock,
        outage: options.outage ?? awsOutagePolicy,
    });
    return poll.catch((error) => {
        throw error instanceof WaitTimeoutError ? new JobsTimeoutError(error.waitedMs, progress) : error;
    });
}
function transitionNote(job) {
    if (job.status === 'SUCCEEDED' && job.startedAt && job.stoppedAt)
        return ` (ran ${(0,format/* formatDuration */.a3)(job.stoppedAt - job.startedAt)})`;
    if (job.status === 'FAILED')
        return `: ${job.statusReason ?? 'no status reason'}`;
    return '';
}
/** One warning per round for the jobs that have just passed the RUNNABLE threshold. */
function warnLongRunnable(progress, now, thresholdMs, jobQueue) {
    const late = [...progress.entries()].filter(([, p]) => p.status === 'RUNNABLE' && !p.warned && p.runnableSince !== undefined && now - p.runnableSince >= thresholdMs);
    if (late.length === 0)
        return;
    for (const [, p] of late)
        p.warned = true;
    const asks = late
        .slice(0, 10)
        .map(([group, p]) => {
        const r = Object.fromEntries((p.detail?.container?.resourceRequirements ?? []).map((x) => [x.type, x.value]));
        return `"${group}" (${r.VCPU ?? '?'} vCPU, ${r.MEMORY ?? '?'} MiB)`;
    })
        .join(', ');
    core.warning(`${late.length} job(s) have waited in RUNNABLE for over ${Math.round(thresholdMs / 60_000)} minute(s): ${asks}` +
        `${late.length > 10 ? ` and ${late.length - 10} more` : ''}. The job queue ${jobQueue} has no capacity for them: ` +
        'check that its compute environments are ENABLED and VALID, that their maxvCpus leave room, and that their ' +
        'instance types have the vCPUs and memory a job asks for (a job that fits no instance type waits forever).');
}
/** Terminates the unfinished jobs of the run that do not depend on a failed group (Batch fails those that do). */
async function terminateIndependentJobs(client, graph, ids, outcome, runId) {
    const failedIdx = new Set([...outcome.progress.entries()]
        .filter(([, p]) => p.status === 'FAILED')
        .map(([g]) => graph.groupJob.get(g)));
    // Jobs are in dependency order: one pass finds every job behind a failed one.
    const behind = new Set(failedIdx);
    for (const job of graph.jobs)
        if (job.dependsOn.some((d) => behind.has(d)))
            behind.add(job.index);
    const candidates = graph.jobs
        .filter((j) => !behind.has(j.index))
        .filter((j) => j.kind === 'join' || !aws_batch/* FINISHED_STATUSES */.oM.has(outcome.progress.get(j.group)?.status ?? ''))
        .map((j) => ids[j.index]);
    if (candidates.length === 0)
        return [];
    return (0,aws_batch/* terminateJobs */.wL)(client, candidates, `kedro-aws-action: group "${outcome.failure?.group}" of run ${runId} failed`, (m) => core.warning(m));
}

;// CONCATENATED MODULE: ./src/targets/batch/facts.ts
/**
 * Facts, target batch: a run read back from its jobs (the `batch-job-ids` that `run` left), waited for
 * first when it is still going (as `run` waits). For `verify` and the summary.
 */











/**
 * Reads a Batch run back from its jobs (the `batch-job-ids` that `run` left), waiting for it first
 * when it is still going (like `run` waits). For `verify`.
 */
async function batchRunFacts(ctx, options = {}) {
    const raw = ctx.get(context_state/* STATE */.c4.batchJobIds);
    const groupIds = options.groupIds ?? (raw ? JSON.parse(raw) : undefined);
    if (!groupIds || Object.keys(groupIds).length === 0) {
        throw new errors/* ActionError */.l(`no "${context_state/* STATE */.c4.batchJobIds}": run mode "run" earlier in this job (same stage "${ctx.inputs.stage}")`);
    }
    const { deployment } = (0,common/* loadPlan */.Yq)(ctx);
    const batch = options.client ?? ctx.aws().batch;
    const region = (0,aws_clients/* resolveRegion */.Zv)(ctx.inputs.awsRegion, ctx.env);
    const order = deployment.groups.map((g) => g.name).filter((g) => groupIds[g] !== undefined);
    const readJobs = async () => {
        const ids = order.map((g) => groupIds[g]);
        try {
            const read = await callThroughOutage(() => (0,aws_batch/* describeJobs */.w7)(batch, ids), {
                backoff: { initialSeconds: ctx.inputs.pollIntervalSeconds, maxSeconds: 30, factor: 1.5 },
                clock: ctx.clock,
                outage: awsOutagePolicy,
            });
            return new Map(read.map((j) => [j.jobId, j]));
        }
        catch (error) {
            throw waitFailure(error, `reading the jobs of the run (${ids.length} job(s))`, undefined);
        }
    };
    let jobs = await readJobs();
    const statusOf = (g) => jobs.get(groupIds[g])?.status ?? 'UNKNOWN';
    if (!order.some((g) => statusOf(g) === 'FAILED') && order.some((g) => !aws_batch/* FINISHED_STATUSES */.oM.has(statusOf(g)))) {
        core.info('The run is still going; waiting for its jobs');
        const graph = (0,plan_batch/* buildJobGraph */.mp)(deployment);
        const ids = graph.jobs.map((j) => (j.kind === 'group' ? (groupIds[j.group] ?? '') : ''));
        try {
            await waitForJobs(batch, graph, ids, {
                timeoutMinutes: ctx.inputs.timeoutMinutes,
                pollIntervalSeconds: ctx.inputs.pollIntervalSeconds,
                clock: ctx.clock,
                runnableWarningMinutes: options.runnableWarningMinutes ?? DEFAULT_RUNNABLE_WARNING_MINUTES,
                jobQueue: 'the job queue',
            });
        }
        catch (error) {
            if (!(error instanceof JobsTimeoutError)) {
                throw waitFailure(error, `waiting for the jobs of the run`, 'The jobs were left running.');
            }
            // Left running: this step only stopped waiting for it.
            return {
                runId: first(jobs, groupIds, order)?.parameters?.run_id ?? (0,common/* required */.mw)(ctx, context_state/* STATE */.c4.runId, 'mode "run"'),
                status: 'TIMED_OUT',
                startDate: startOf(jobs),
                runtimeParams: runtimeParamsOf(first(jobs, groupIds, order)),
                groupIds,
                failure: `the run is still going after ${ctx.inputs.timeoutMinutes} minute(s) ("timeout-minutes")`,
                outcome: { status: 'TIMED_OUT', progress: error.progress },
            };
        }
        jobs = await readJobs();
    }
    const failed = order.filter((g) => statusOf(g) === 'FAILED');
    // The root cause first: a job failed by its own run, not by a failed dependency.
    const root = failed.find((g) => !/^Dependent Job failed/i.test(jobs.get(groupIds[g])?.statusReason ?? '')) ?? failed[0];
    const status = failed.length ? 'FAILED' : order.every((g) => statusOf(g) === 'SUCCEEDED') ? 'SUCCEEDED' : 'RUNNING';
    const firstJob = first(jobs, groupIds, order);
    const progress = new Map(order.map((g) => {
        const detail = jobs.get(groupIds[g]);
        return [g, detail ? { status: detail.status ?? 'UNKNOWN', detail } : { status: 'UNKNOWN' }];
    }));
    return {
        runId: firstJob?.parameters?.run_id ?? (0,common/* required */.mw)(ctx, context_state/* STATE */.c4.runId, 'mode "run"'),
        status,
        startDate: startOf(jobs),
        runtimeParams: runtimeParamsOf(firstJob),
        groupIds,
        failure: root ? batchFailureMessage(root, jobs.get(groupIds[root]), region) : undefined,
        outcome: {
            status: failed.length ? 'FAILED' : 'SUCCEEDED',
            ...(root ? { failure: { group: root, job: jobs.get(groupIds[root]) } } : {}),
            progress,
        },
    };
}
/** The job of the first group (its parameters hold the run id and the runtime params). */
function first(jobs, groupIds, order) {
    return jobs.get(groupIds[order[0]]);
}
/** When the first job was created (Batch's clock). */
function startOf(jobs) {
    const created = [...jobs.values()].map((j) => j.createdAt).filter((t) => typeof t === 'number');
    return created.length ? new Date(Math.min(...created)) : undefined;
}
function runtimeParamsOf(job) {
    try {
        return JSON.parse(job?.parameters?.runtime_params ?? '{}');
    }
    catch {
        return {};
    }
}

;// CONCATENATED MODULE: ./src/targets/batch/cancel.ts

/** The post step terminates the jobs recorded under this key (JSON {@link PostBatchState}). */
const POST_STATE_BATCH_JOBS = 'waiting-batch-jobs';
function readPostBatchState(raw) {
    return raw ? JSON.parse(raw) : undefined;
}
/**
 * Terminates the unfinished jobs of the recorded run and says so through `warn`; returns their ids.
 * Never throws (a post step only warns).
 */
async function terminateBatchRunOnPost(options) {
    const { warn } = options;
    try {
        const state = readPostBatchState(options.state);
        if (!state)
            return [];
        const client = typeof options.client === 'function' ? options.client(state.region) : options.client;
        const terminated = await terminateJobs(client, state.jobIds, `the GitHub Actions job was cancelled while waiting for run ${state.runId}`, warn);
        if (terminated.length) {
            warn(`Terminated ${terminated.length} unfinished Batch job(s) of run ${state.runId}: the job ended while waiting for them.`);
        }
        else {
            options.info?.(`The jobs of run ${state.runId} had all finished: nothing to terminate.`);
        }
        return terminated;
    }
    catch (error) {
        warn(`Could not terminate the Batch jobs of the run: ${error.message}`);
        return [];
    }
}

// EXTERNAL MODULE: ./src/targets/batch/platform.ts
var batch_platform = __webpack_require__(5502);
;// CONCATENATED MODULE: ./src/targets/batch/run.ts
/**
 * Run, target batch: every group submitted as a job up front (each with `dependsOn` the job ids of its
 * dependencies, joins for wide fan-in), `batch-job-ids` and `run-id` set at once. No driver: once the
 * jobs are submitted the run goes on by itself (Batch starts a job when its dependencies succeeded, and
 * fails it when one failed), so `wait: false` can stop right there. The wait is wait.ts's.
 */















const warn = (message) => core.warning(message);
async function submitBatchRun(ctx, { plan, deployment }, runId, options = {}) {
    const { inputs } = ctx;
    if (inputs.executor === 'local') {
        throw new errors/* ActionError */.l('input "executor": local runs the Step Functions target only; use target step-functions, or executor aws');
    }
    const jobQueue = options.jobQueue ?? inputs.batchJobQueue;
    if (!jobQueue) {
        throw new errors/* ActionError */.l(`input "${src_inputs/* INPUT */.bO.batchJobQueue}" is required by mode "run" with target batch: the AWS Batch job queue the jobs go to`);
    }
    const jobDefinition = options.jobDefinitionArn ?? ctx.get(context_state/* STATE */.c4.jobDefinitionArn);
    if (!jobDefinition) {
        throw new errors/* ActionError */.l(`no "${context_state/* STATE */.c4.jobDefinitionArn}": run mode "deploy" earlier in this job (same stage "${inputs.stage}"), ` +
            `or give the "${src_inputs/* INPUT */.bO.jobDefinitionArn}" input`);
    }
    const batch = options.client ?? ctx.aws().batch;
    // The jobs' resources must suit where they run (a join job too); AWS refuses a job definition of the
    // other platform at submit.
    const platform = await (0,batch_platform/* batchPlatform */.C)(ctx, batch, jobQueue, 'run');
    const graph = (0,plan_batch/* buildJobGraph */.mp)(deployment, platform);
    const run = { jobQueue, jobDefinition, runId, runtimeParams: plan.runtime_params, tags: (0,common/* stageTags */.gd)(ctx, deployment) };
    core.info(`Submitting ${graph.jobs.length} job(s) to ${jobQueue} (run id ${runId}): ${deployment.groups.length} group(s)` +
        (graph.joins ? ` and ${graph.joins} join(s)` : ''));
    let ids;
    try {
        ids = await (0,aws_batch/* submitJobs */.xq)(batch, graph.jobs.length, (i, before) => (0,plan_batch/* submitJobRequest */.F4)(graph.jobs[i], run, before), {
            terminateReason: `kedro-aws-action: a later job of run ${runId} could not be submitted`,
            warn,
        });
    }
    catch (error) {
        if (!(error instanceof aws_batch/* SubmitError */.Xd))
            throw error;
        const left = error.submitted.length
            ? `\nThe ${error.submitted.length} job(s) submitted before it were terminated.`
            : '\nNo job was submitted.';
        throw new errors/* ActionError */.l(`${error.message}${left}`);
    }
    const groupIds = Object.fromEntries(deployment.groups.map((g) => [g.name, ids[graph.groupJob.get(g.name)]]));
    ctx.remember({ [context_state/* STATE */.c4.runId]: runId, [context_state/* STATE */.c4.batchJobIds]: JSON.stringify(groupIds) });
    ctx.setOutput(outputs/* OUTPUT */.a.batchJobIds, JSON.stringify(groupIds));
    ctx.setOutput(outputs/* OUTPUT */.a.runId, runId);
    const region = (0,aws_clients/* resolveRegion */.Zv)(inputs.awsRegion, ctx.env);
    const listed = deployment.groups.slice(0, 50);
    for (const g of listed)
        core.info(`  ${g.name}: job ${groupIds[g.name]} (${(0,links/* batchJobConsoleUrl */.or)(region, groupIds[g.name])})`);
    if (deployment.groups.length > listed.length) {
        core.info(`  and ${deployment.groups.length - listed.length} more (the "${outputs/* OUTPUT */.a.batchJobIds}" output lists them all)`);
    }
    return { runId, jobQueue, region, graph, ids, groupIds };
}
/**
 * Waits for the submitted jobs. The post step terminates them if the job is cancelled (or times out)
 * meanwhile: they are recorded for it while this waits, and the record is cleared however the wait
 * ends by itself (an error of the step included: the jobs go on, and the error says so).
 * When a group failed, the run's jobs that do not depend on it are terminated before this returns.
 * Past `timeout-minutes` the unfinished jobs are terminated (or left, `on-timeout: leave`) and the run
 * is TIMED_OUT: reported like a failed one.
 */
async function waitForBatchRun(ctx, { plan, deployment }, handle, options = {}) {
    const { inputs } = ctx;
    const { runId, jobQueue, region, graph, ids, groupIds } = handle;
    const batch = options.client ?? ctx.aws().batch;
    const post = { region, runId, jobIds: ids };
    core.saveState(POST_STATE_BATCH_JOBS, JSON.stringify(post));
    let outcome;
    let timeout;
    try {
        outcome = await waitForJobs(batch, graph, ids, {
            timeoutMinutes: inputs.timeoutMinutes,
            pollIntervalSeconds: inputs.pollIntervalSeconds,
            clock: ctx.clock,
            runnableWarningMinutes: options.runnableWarningMinutes ?? DEFAULT_RUNNABLE_WARNING_MINUTES,
            jobQueue,
        });
    }
    catch (error) {
        core.saveState(POST_STATE_BATCH_JOBS, '');
        if (!(error instanceof JobsTimeoutError)) {
            throw waitFailure(error, `waiting for the ${ids.length} job(s) of run ${runId}`, `The jobs were left running (run id ${runId}, queue ${jobQueue}; output "${outputs/* OUTPUT */.a.batchJobIds}" lists them).`);
        }
        outcome = { status: 'TIMED_OUT', progress: error.progress };
        if (inputs.onTimeout === 'stop') {
            let terminated;
            try {
                terminated = await (0,aws_batch/* terminateJobs */.wL)(batch, ids, `kedro-aws-action stopped waiting after ${inputs.timeoutMinutes} minute(s)`, warn);
            }
            catch (stopError) {
                timeout =
                    `the run was still going after ${inputs.timeoutMinutes} minute(s) ("timeout-minutes") and its jobs could not ` +
                        `be terminated (${stopError.message}); they may still be running (run id ${runId}, queue ${jobQueue})`;
            }
            if (terminated) {
                timeout =
                    `the run was still going after ${inputs.timeoutMinutes} minute(s) ("timeout-minutes"), so its ${terminated.length} ` +
                        `unfinished job(s) were terminated (run id ${runId}, queue ${jobQueue})`;
            }
        }
        else {
            timeout =
                `the run is still going after ${inputs.timeoutMinutes} minute(s) ("timeout-minutes"); its jobs were left running ` +
                    `("on-timeout: leave") (run id ${runId}, queue ${jobQueue})`;
        }
    }
    core.saveState(POST_STATE_BATCH_JOBS, '');
    let note = '';
    if (outcome.failure) {
        const terminated = await terminateIndependentJobs(batch, graph, ids, outcome, runId);
        if (terminated.length) {
            note = `\n${terminated.length} job(s) of the run that do not depend on it were terminated; those that do fail with it.`;
        }
    }
    const failure = outcome.failure;
    return {
        runId,
        status: outcome.status,
        startDate: undefined,
        runtimeParams: plan.runtime_params,
        source: `Batch jobs ${Object.values(groupIds).join(', ')}`,
        successLine: `All ${deployment.groups.length} group(s) SUCCEEDED (run id ${runId})`,
        failure: async () => timeout ??
            (failure
                ? `${batchFailureMessage(failure.group, failure.job, region)}${note}`
                : `the run ended ${outcome.status}`),
        summary: (checks, unchecked) => writeBatchSummary(ctx, deployment, {
            runId,
            region,
            groupIds,
            outcome,
            ...(checks ? { checks } : {}),
            ...(unchecked ? { unchecked } : {}),
        }),
    };
}

;// CONCATENATED MODULE: ./src/targets/batch/index.ts
/**
 * Target batch: one AWS Batch job per group, all submitted up front with `dependsOn`, from one job
 * definition per stage. No driver: the run goes on without the workflow once submitted.
 */








/** The Batch backend; `options` replace inputs and the client (tests use a second emulator). */
function batchBackend(options = {}) {
    return {
        name: 'batch',
        imageKind: 'batch',
        detachedNote: 'Not waiting ("wait: false"): the jobs go on without this workflow (Batch starts each after its dependencies).',
        deploy: async (ctx) => {
            await (0,deploy/* deployBatch */.I)(ctx, {
                ...(options.jobRoleArn ? { jobRoleArn: options.jobRoleArn } : {}),
                ...(options.jobQueue ? { jobQueue: options.jobQueue } : {}),
                ...(options.client ? { client: options.client } : {}),
            });
            return undefined;
        },
        start: (ctx, loaded, runId) => submitBatchRun(ctx, loaded, runId, options),
        leaseRun: (handle) => ({ job_ids: Object.values(handle.groupIds) }),
        stillRunning: async (ctx, run) => {
            if (!run.job_ids?.length)
                return undefined;
            const jobs = await (0,aws_batch/* describeJobs */.w7)(options.client ?? ctx.aws().batch, run.job_ids);
            return jobs.some((j) => !aws_batch/* FINISHED_STATUSES */.oM.has(j.status ?? ''));
        },
        wait: (ctx, loaded, handle) => waitForBatchRun(ctx, loaded, handle, options),
        facts: async (ctx, { deployment }) => {
            const facts = await batchRunFacts(ctx, options);
            const region = (0,aws_clients/* resolveRegion */.Zv)(ctx.inputs.awsRegion, ctx.env);
            return {
                runId: facts.runId,
                status: facts.status,
                startDate: facts.startDate,
                runtimeParams: facts.runtimeParams,
                source: `Batch jobs ${Object.values(facts.groupIds).join(', ')}`,
                successLine: `All ${deployment.groups.length} group(s) SUCCEEDED (run id ${facts.runId})`,
                failure: async () => facts.failure ?? `the run ended ${facts.status}`,
                summary: (checks, unchecked) => writeBatchSummary(ctx, deployment, {
                    runId: facts.runId,
                    region,
                    groupIds: facts.groupIds,
                    outcome: facts.outcome,
                    ...(checks ? { checks } : {}),
                    ...(unchecked ? { unchecked } : {}),
                }),
            };
        },
        teardown: async (ctx, { deployment }) => {
            const definitions = await (0,aws_batch/* deregisterJobDefinitionsTagged */.S0)(options.client ?? ctx.aws().batch, (0,common/* ownerTags */.Dh)(deployment));
            core.info(definitions.length
                ? `  deregistered job definition(s) ${definitions.join(', ')}`
                : '  no job definition tagged for this stage');
            return definitions.map((d) => `job definition ${d}`);
        },
    };
}

// EXTERNAL MODULE: ./src/aws/stepfunctions.ts
var stepfunctions = __webpack_require__(7738);
// EXTERNAL MODULE: ./src/targets/stepfunctions/deploy.ts
var stepfunctions_deploy = __webpack_require__(8731);
// EXTERNAL MODULE: ./src/aws/lambda.ts
var lambda = __webpack_require__(5974);
;// CONCATENATED MODULE: ./src/context/identity.ts
/**
 * Which run this step is. A run of a stage is identified by the step that starts it and by what defines
 * it: the workflow run and attempt, the job (a per-job id kept under RUNNER_TEMP, so matrix jobs differ),
 * the step, the plan, the image and the runtime params. The same identity means the same run (a step
 * run again follows its execution instead of starting a duplicate); anything else is a new run.
 */





/** A per-job id: RUNNER_TEMP is emptied at the start of every job, so each job (matrix jobs too) gets its own. */
function jobId(ctx) {
    const file = external_node_path_.join(external_node_path_.dirname(ctx.workDir), 'job-id');
    try {
        return external_node_fs_.readFileSync(file, 'utf8').trim();
    }
    catch {
        external_node_fs_.mkdirSync(external_node_path_.dirname(file), { recursive: true, mode: 0o700 });
        const id = (0,external_node_crypto_.randomUUID)();
        try {
            external_node_fs_.writeFileSync(file, id, { flag: 'wx', mode: 0o600 });
            return id;
        }
        catch {
            // Another step of the job wrote it first.
            return external_node_fs_.readFileSync(file, 'utf8').trim();
        }
    }
}
function planDigest(ctx) {
    const file = ctx.get(context_state/* STATE */.c4.plan);
    return file && external_node_fs_.existsSync(file) ? (0,external_node_crypto_.createHash)('sha256').update(external_node_fs_.readFileSync(file)).digest('hex') : '';
}
/** The identity of the run this step would start (hex; the first characters go into execution names). */
function runIdentity(ctx, loaded, runId) {
    const { env } = ctx;
    const where = env.GITHUB_RUN_ID
        ? {
            run: env.GITHUB_RUN_ID,
            attempt: env.GITHUB_RUN_ATTEMPT ?? '1',
            job: `${env.GITHUB_JOB ?? ''}/${jobId(ctx)}`,
            step: env.GITHUB_ACTION ?? '',
        }
        : // Outside Actions every invocation is a run of its own.
            { run: `local-${runId}` };
    const what = {
        stage: loaded.deployment.stage,
        plan: planDigest(ctx),
        image: ctx.get(context_state/* STATE */.c4.imageUri) ?? '',
        // What every group gets: the plan's (run refuses an input that says otherwise).
        params: (0,common/* canonicalJson */.dj)(loaded.plan.runtime_params),
    };
    return (0,external_node_crypto_.createHash)('sha256').update((0,common/* canonicalJson */.dj)({ where, what })).digest('hex');
}

// EXTERNAL MODULE: ./src/plan/names.ts
var names = __webpack_require__(2471);
;// CONCATENATED MODULE: ./src/targets/stepfunctions/cancel.ts

/** The post step stops an execution recorded under this key when the job was cancelled while waiting. */
const POST_STATE_EXECUTION = 'waiting-execution-arn';
/** Stops the recorded execution when it still runs, and says so through `warn`. Never throws. */
async function stopExecutionOnPost(options) {
    const { client, executionArn, warn } = options;
    try {
        const execution = await describeExecution(client, executionArn);
        if (execution.status !== 'RUNNING') {
            options.info?.(`Execution ${executionArn} had already ended (${execution.status}): nothing to stop.`);
            return false;
        }
        await stopExecution(client, executionArn, 'the GitHub Actions job was cancelled while waiting for it');
        warn(`Stopped execution ${executionArn}: the job ended while waiting for it. Step Functions stops the Batch ` +
            'and SageMaker jobs the execution was waiting on.');
        return true;
    }
    catch (error) {
        warn(`Could not stop execution ${executionArn}: ${error.message}`);
        return false;
    }
}

;// CONCATENATED MODULE: ./src/report/progress.ts
/**
 * Follows the history's chains (each event names its previous one) to know which state an event
 * belongs to, and turns the group tasks' events into transitions. Keeps what it learned between calls,
 * so a poll can feed only the new events.
 */
class HistoryReader {
    stateOfEvent = new Map();
    groupOfState;
    failure;
    /** Group states entered and not yet left, newest last. */
    open = [];
    lastEventId = 0;
    constructor(groupOfState) {
        this.groupOfState = groupOfState;
    }
    /** Feeds events (oldest first) and returns the group transitions they contain. */
    read(events) {
        const transitions = [];
        for (const event of events) {
            const id = event.id ?? 0;
            this.lastEventId = Math.max(this.lastEventId, id);
            const entered = event.stateEnteredEventDetails?.name;
            const state = entered ?? this.stateOfEvent.get(event.previousEventId ?? -1);
            if (state !== undefined)
                this.stateOfEvent.set(id, state);
            const group = state === undefined ? undefined : this.groupOfState.get(state);
            const at = event.timestamp;
            switch (event.type) {
                case 'TaskStateEntered':
                    if (group) {
                        this.open.push(group);
                        transitions.push({ group, status: 'RUNNING', at });
                    }
                    break;
                case 'TaskScheduled': {
                    // A SageMaker group's job is named by the Task's parameters, as Step Functions resolved them.
                    const details = event.taskScheduledEventDetails;
                    if (group && details?.resourceType === 'sagemaker') {
                        const job = trainingJobName(details.parameters);
                        if (job)
                            this.trainingJobs.set(group, job);
                    }
                    break;
                }
                case 'TaskStateExited':
                    if (group) {
                        this.close(group);
                        transitions.push({ group, status: 'SUCCEEDED', at });
                    }
                    break;
                case 'TaskFailed':
                case 'TaskTimedOut':
                case 'LambdaFunctionFailed':
                case 'LambdaFunctionTimedOut': {
                    const details = event.taskFailedEventDetails ??
                        event.taskTimedOutEventDetails ??
                        event.lambdaFunctionFailedEventDetails ??
                        event.lambdaFunctionTimedOutEventDetails;
                    const error = details?.error ?? event.type;
                    const cause = details?.cause ?? '';
                    this.failure = { group, error, cause };
                    if (group) {
                        this.close(group);
                        transitions.push({ group, status: 'FAILED', at, error, cause });
                    }
                    break;
                }
                case 'ExecutionFailed':
                case 'ExecutionAborted':
                case 'ExecutionTimedOut': {
                    const details = event.executionFailedEventDetails ??
                        event.executionAbortedEventDetails ??
                        event.executionTimedOutEventDetails;
                    // A task failure seen earlier says more; a state that failed before its task ran (e.g. a bad
                    // input path) has no task event: its group is the state this event follows or, when the
                    // history does not chain them, the one group task still open.
                    const groupKnown = this.failure?.group !== undefined;
                    const failedGroup = group ?? (this.open.length === 1 ? this.open[0] : undefined);
                    this.failure ??= { group: failedGroup, error: details?.error ?? event.type, cause: details?.cause ?? '' };
                    if (failedGroup && !groupKnown) {
                        this.close(failedGroup);
                        this.failure = { ...this.failure, group: failedGroup };
                        transitions.push({
                            group: failedGroup,
                            status: 'FAILED',
                            at,
                            error: this.failure.error,
                            cause: this.failure.cause,
                        });
                    }
                    break;
                }
            }
        }
        for (const t of transitions)
            this.remember(t);
        return transitions;
    }
    close(group) {
        const i = this.open.lastIndexOf(group);
        if (i >= 0)
            this.open.splice(i, 1);
    }
    /** SageMaker groups: the name of the training job each ran, from the Task's scheduled parameters. */
    trainingJobs = new Map();
    /** What each group that started did, with its start and end (for the summary). */
    groups = new Map();
    remember(t) {
        const seen = this.groups.get(t.group);
        if (t.status === 'RUNNING')
            this.groups.set(t.group, { status: 'RUNNING', start: t.at });
        else
            this.groups.set(t.group, { status: t.status, start: seen?.start, end: t.at });
    }
    /** The failure the history shows, if any. */
    get failureSeen() {
        return this.failure;
    }
}
/** The TrainingJobName of a SageMaker Task's parameters (the JSON text of a TaskScheduled event). */
function trainingJobName(parameters) {
    if (!parameters)
        return undefined;
    try {
        const name = JSON.parse(parameters).TrainingJobName;
        return typeof name === 'string' && name !== '' ? name : undefined;
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/targets/stepfunctions/execution.ts
/**
 * Waiting for a Step Functions execution: DescribeExecution with backoff and jitter, the history read
 * only for new events (to log each group as it starts and ends), and a failure report that names the
 * group, its error and cause, and where its logs are. Used by `run`, and by `verify` when the run is
 * still going. The wait goes on through an outage (network errors, server errors, throttling) for five
 * minutes in a row, with notices (targets/outage.ts); when it ends on an error of its own, the
 * execution is left running and the error says so. Past `timeout-minutes` the execution is stopped (or
 * left running, `on-timeout: leave`) and the wait ends TIMED_OUT: a run that outlived the wait is
 * reported like a failed one.
 */








async function waitForExecution(sfn, executionArn, deployment, options) {
    const reader = new HistoryReader(new Map(deployment.groups.map((g) => [g.names.state, g.name])));
    const announced = new Set();
    const report = async () => {
        const events = await (0,stepfunctions/* newHistoryEvents */.Sj)(sfn, executionArn, reader.lastEventId);
        for (const t of reader.read(events)) {
            const suffix = t.status === 'FAILED' ? `: ${t.error}` : '';
            core.info(`  ${t.group} ${t.status.toLowerCase()}${suffix}`);
        }
        for (const [group, job] of reader.trainingJobs) {
            if (announced.has(job))
                continue;
            announced.add(job);
            core.info(`  ${group}: SageMaker training job ${job}: ${(0,links/* trainingJobConsoleUrl */.Yf)((0,links/* arnRegion */.yC)(executionArn), job)}`);
        }
    };
    let startDate;
    try {
        return await pollUntil(async () => {
            const execution = await (0,stepfunctions/* describeExecution */.ki)(sfn, executionArn);
            startDate = execution.startDate;
            const status = execution.status ?? 'UNKNOWN';
            // The history is read only when something can have moved: cheap polls while a long group runs.
            await report();
            if (status === 'RUNNING' || status === 'PENDING_REDRIVE')
                return { done: false };
            const failure = reader.failureSeen ??
                (status === 'SUCCEEDED'
                    ? undefined
                    : {
                        group: undefined,
                        error: execution.error ?? status,
                        cause: execution.cause ?? '',
                    });
            return {
                done: true,
                value: {
                    status,
                    failure,
                    startDate: execution.startDate,
                    stopDate: execution.stopDate,
                    trainingJobs: reader.trainingJobs,
                },
            };
        }, {
            timeoutMs: options.timeoutMinutes * 60_000,
            backoff: { initialSeconds: options.pollIntervalSeconds, maxSeconds: 30, factor: 1.5 },
            clock: options.clock,
            outage: options.outage ?? awsOutagePolicy,
        });
    }
    catch (error) {
        if (!(error instanceof WaitTimeoutError)) {
            // The step ends on its own error; the execution goes on (the post step stops a run only when the
            // job is cancelled or times out).
            const gone = (0,aws_errors/* awsErrorKind */.UC)(error) === 'not-found';
            throw waitFailure(error, `waiting for execution ${executionArn}`, gone ? undefined : `The execution was left running: ${(0,links/* executionConsoleUrl */.bm)(executionArn)}`);
        }
        let timeout;
        if (options.onTimeout === 'stop') {
            try {
                await (0,stepfunctions/* stopExecution */.V4)(sfn, executionArn, `kedro-aws-action stopped waiting after ${options.timeoutMinutes} minute(s)`);
                timeout = `the execution was still running after ${options.timeoutMinutes} minute(s) ("timeout-minutes"), so it was stopped: ${(0,links/* executionConsoleUrl */.bm)(executionArn)}`;
            }
            catch (stopError) {
                timeout =
                    `the execution was still running after ${options.timeoutMinutes} minute(s) ("timeout-minutes") and could ` +
                        `not be stopped (${stopError.message}); it may still be running: ${(0,links/* executionConsoleUrl */.bm)(executionArn)}`;
            }
        }
        else {
            timeout = `the execution is still running after ${options.timeoutMinutes} minute(s) ("timeout-minutes"); it was left running ("on-timeout: leave"): ${(0,links/* executionConsoleUrl */.bm)(executionArn)}`;
        }
        // The groups' last moves, for the summary (the stopped execution's last events included).
        await report().catch(() => undefined);
        return {
            status: 'TIMED_OUT',
            failure: reader.failureSeen,
            startDate,
            stopDate: undefined,
            timeout,
            trainingJobs: reader.trainingJobs,
        };
    }
}
/** The failure as a message a user can act on: which group, what went wrong, where to look. */
function failureMessage(outcome, executionArn, deployment) {
    if (outcome.timeout !== undefined)
        return outcome.timeout;
    const failure = outcome.failure;
    const group = deployment.groups.find((g) => g.name === failure?.group);
    const lines = [
        group
            ? `group "${group.name}" failed: ${failure?.error ?? outcome.status}`
            : `the execution ended ${outcome.status}: ${failure?.error ?? 'no error recorded'}`,
    ];
    const region = (0,links/* arnRegion */.yC)(executionArn);
    if (group?.settings.compute === 'sagemaker') {
        // The job's description (status, failure reason) and its own log streams.
        if (failure?.cause)
            lines.push(`cause: ${(0,format/* readableCause */.wV)(failure.cause).text.slice(0, 2000)}`);
        const job = outcome.trainingJobs?.get(group.name) ?? jobOfCause(failure?.cause);
        if (job) {
            const logs = (0,links/* trainingJobLogs */.Dd)(region, job);
            lines.push(`training job: ${job} (${(0,links/* trainingJobConsoleUrl */.Yf)(region, job)})`);
            lines.push(`logs: ${logs.group}, streams ${logs.stream} (${logs.url})`);
        }
    }
    else {
        if (failure?.cause)
            lines.push(`cause: ${failure.cause.slice(0, 2000)}`);
        if (group) {
            const logGroup = (0,links/* lambdaLogGroup */.jW)(group.names.lambdaFunction);
            lines.push(`logs: ${logGroup} (${(0,links/* logGroupConsoleUrl */.sM)(region, logGroup)})`);
        }
    }
    lines.push(`execution: ${(0,links/* executionConsoleUrl */.bm)(executionArn)}`);
    return lines.join('\n');
}
/** The training job a `.sync` failure's cause describes (its TrainingJobName), if it is one. */
function jobOfCause(cause) {
    try {
        const name = JSON.parse(cause ?? '').TrainingJobName;
        return typeof name === 'string' ? name : undefined;
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/targets/stepfunctions/summary.ts
/**
 * The job summary of a Step Functions run (written by `run`, or by `verify` when it follows): the group
 * graph coloured by status, the groups' times, the outputs checked, the failure and where its logs are,
 * read from the execution's history.
 */






async function writeSummary(ctx, sfn, options) {
    const { deployment, executionArn } = options;
    const region = (0,links/* arnRegion */.yC)(executionArn);
    const reader = new HistoryReader(new Map(deployment.groups.map((g) => [g.names.state, g.name])));
    try {
        reader.read(await (0,stepfunctions/* newHistoryEvents */.Sj)(sfn, executionArn, 0));
    }
    catch (error) {
        core.debug(`history for the summary: ${error.message}`);
    }
    const logsOf = (group) => {
        const planned = deployment.groups.find((g) => g.name === group);
        if (!planned)
            return undefined;
        if (planned.settings.compute === 'sagemaker') {
            const job = reader.trainingJobs.get(planned.name);
            if (job)
                return (0,links/* trainingJobLogs */.Dd)(region, job);
            return { group: links/* SAGEMAKER_TRAINING_LOG_GROUP */.Jl, url: (0,links/* logGroupConsoleUrl */.sM)(region, links/* SAGEMAKER_TRAINING_LOG_GROUP */.Jl) };
        }
        const logGroup = (0,links/* lambdaLogGroup */.jW)(planned.names.lambdaFunction);
        return { group: logGroup, url: (0,links/* logGroupConsoleUrl */.sM)(region, logGroup) };
    };
    // SageMaker groups: their training jobs, linked like Batch jobs.
    const jobs = Object.fromEntries([...reader.trainingJobs].map(([group, job]) => [
        group,
        { jobId: job, consoleUrl: (0,links/* trainingJobConsoleUrl */.Yf)(region, job) },
    ]));
    const failure = reader.failureSeen;
    const report = {
        project: deployment.project,
        stage: deployment.stage,
        env: deployment.env,
        target: 'step-functions',
        executor: options.executor ?? 'aws',
        runId: options.runId,
        status: options.status,
        execution: { arn: executionArn, consoleUrl: (0,links/* executionConsoleUrl */.bm)(executionArn) },
        ...(Object.keys(jobs).length > 0 ? { jobs } : {}),
        groups: (0,summary/* reportGroupsFromPlan */.WC)(deployment).map((g) => {
            const seen = reader.groups.get(g.name);
            return seen ? { ...g, ...seen, logs: logsOf(g.name) } : g;
        }),
        ...(failure ? { failure: { ...failure, logs: logsOf(failure.group) } } : {}),
        ...(0,summary/* reportFromVerify */.cI)(options.checks, options.unchecked),
    };
    await (0,publish/* publishReport */.S3)(ctx, report);
}

;// CONCATENATED MODULE: ./src/targets/stepfunctions/run.ts
/**
 * Run, target step-functions: one execution per workflow run attempt (a deterministic name, so a re-run
 * of the same attempt follows its execution instead of starting a duplicate), its ARN and run id set at
 * once; the wait (execution.ts), and the facts of the execution read back for verify. Before the
 * execution starts, every group's function is made invokable (an idle one is Inactive: see
 * src/aws/lambda.ts `ensureFunctionActive`).
 */














/**
 * The execution's name: the same run identity (src/context/identity.ts: the step of the workflow run
 * attempt and what defines the run) gives the same name, so the step run again follows its execution;
 * another step, job, attempt, plan, image or params gives another. Outside Actions: the run id.
 */
function executionName(stage, runId, env, identity) {
    const ghRun = env.GITHUB_RUN_ID;
    if (ghRun) {
        return (0,names/* awsName */.py)('execution', [
            stage,
            `run${ghRun}`,
            `attempt${env.GITHUB_RUN_ATTEMPT ?? '1'}`,
            identity.slice(0, 10),
        ]);
    }
    return (0,names/* awsName */.py)('execution', [stage, runId.replace(/[^A-Za-z0-9]+/g, '')]);
}
async function startStateMachineRun(ctx, loaded, freshRunId) {
    const { deployment } = loaded;
    const stateMachineArn = (0,common/* required */.mw)(ctx, context_state/* STATE */.c4.stateMachineArn, 'mode "deploy"');
    const input = JSON.stringify({
        run_id: freshRunId,
        runtime_params: loaded.plan.runtime_params,
        env: deployment.env,
        origin: (0,common/* originOf */.yv)(ctx),
    });
    const name = executionName(deployment.stage, freshRunId, ctx.env, runIdentity(ctx, loaded, freshRunId));
    // A function left idle for weeks is Inactive, and the first invocation of it fails: wake them first.
    const functions = deployment.groups.filter((g) => g.settings.compute === 'lambda').map((g) => g.names.lambdaFunction);
    for (const { name: fn, readiness } of await (0,lambda/* ensureFunctionsActive */.s0)(ctx.aws().lambda, functions)) {
        core.info(readiness === 'reactivated'
            ? `Lambda function ${fn} was Inactive (idle): invoked once to reactivate it, and it is Active again`
            : `Lambda function ${fn} was not ready (being created or updated): waited until it was`);
    }
    const execution = await (0,stepfunctions/* startExecution */.FP)(ctx.aws().sfn, { stateMachineArn, name, input });
    const runId = JSON.parse(execution.input).run_id ?? freshRunId;
    core.info(execution.started
        ? `Started execution ${name} (run id ${runId}): ${(0,links/* executionConsoleUrl */.bm)(execution.executionArn)}`
        : `Execution ${name} was started by this same step with the same plan, image and params; following it (run id ${runId})`);
    ctx.remember({ [context_state/* STATE */.c4.executionArn]: execution.executionArn, [context_state/* STATE */.c4.runId]: runId });
    ctx.setOutput(outputs/* OUTPUT */.a.executionArn, execution.executionArn);
    ctx.setOutput(outputs/* OUTPUT */.a.runId, runId);
    return { executionArn: execution.executionArn, runId };
}
/** One read of the execution, retried through an outage as the wait's polls are. */
async function readThroughOutage(ctx, call, executionArn) {
    try {
        return await callThroughOutage(call, {
            backoff: { initialSeconds: ctx.inputs.pollIntervalSeconds, maxSeconds: 30, factor: 1.5 },
            clock: ctx.clock,
            outage: awsOutagePolicy,
        });
    }
    catch (error) {
        throw waitFailure(error, `reading execution ${executionArn}`, undefined);
    }
}
function waitOptions(ctx) {
    const { inputs } = ctx;
    return {
        timeoutMinutes: inputs.timeoutMinutes,
        pollIntervalSeconds: inputs.pollIntervalSeconds,
        onTimeout: inputs.onTimeout,
        clock: ctx.clock,
    };
}
/**
 * Waits for the execution. The post step stops it if the job is cancelled (or times out) meanwhile:
 * the execution is recorded for it while this waits, and the record is cleared however the wait ends
 * by itself (an error of the step included: the run goes on, and the error says so), so that a record
 * the post step still finds means the step was killed.
 */
async function waitForStateMachineRun(ctx, { plan, deployment }, handle) {
    const { sfn } = ctx.aws();
    const { executionArn, runId } = handle;
    core.saveState(POST_STATE_EXECUTION, executionArn);
    let outcome;
    try {
        outcome = await waitForExecution(sfn, executionArn, deployment, waitOptions(ctx));
    }
    finally {
        core.saveState(POST_STATE_EXECUTION, '');
    }
    return executionRunFacts(ctx, deployment, executionArn, { runId, outcome, runtimeParams: plan.runtime_params });
}
function executionRunFacts(ctx, deployment, executionArn, run) {
    const { sfn } = ctx.aws();
    const { runId, outcome } = run;
    return {
        runId,
        status: outcome.status,
        startDate: outcome.startDate,
        runtimeParams: run.runtimeParams,
        source: executionArn,
        successLine: `Execution SUCCEEDED (run id ${runId})`,
        failure: async () => failureMessage(outcome, executionArn, deployment),
        summary: (checks, unchecked) => writeSummary(ctx, sfn, {
            deployment,
            executionArn,
            runId,
            status: outcome.status,
            ...(checks ? { checks } : {}),
            ...(unchecked ? { unchecked } : {}),
        }),
    };
}
/** The execution `run` left (or the `execution-arn` input), waited for when it still runs. */
async function stateMachineRunFacts(ctx, { deployment }) {
    const executionArn = (0,common/* required */.mw)(ctx, context_state/* STATE */.c4.executionArn, 'mode "run"');
    const { sfn } = ctx.aws();
    const read = () => readThroughOutage(ctx, () => (0,stepfunctions/* describeExecution */.ki)(sfn, executionArn), executionArn);
    let execution = await read();
    const input = JSON.parse(execution.input ?? '{}');
    const runId = input.run_id ?? (0,common/* required */.mw)(ctx, context_state/* STATE */.c4.runId, 'mode "run"');
    if (execution.status === 'RUNNING') {
        core.info('The execution is still running; waiting for it');
        const outcome = await waitForExecution(sfn, executionArn, deployment, waitOptions(ctx));
        if (outcome.timeout !== undefined) {
            return executionRunFacts(ctx, deployment, executionArn, { runId, outcome, runtimeParams: input.runtime_params });
        }
        execution = await read();
    }
    const status = execution.status ?? 'UNKNOWN';
    return {
        runId,
        status,
        startDate: execution.startDate,
        runtimeParams: input.runtime_params,
        source: executionArn,
        successLine: `Execution SUCCEEDED (run id ${runId})`,
        failure: async () => 
        // The execution has ended: this reads its history once and reports the failure as `run` does.
        failureMessage(await waitForExecution(sfn, executionArn, deployment, waitOptions(ctx)), executionArn, deployment),
        summary: (checks, unchecked) => writeSummary(ctx, sfn, {
            deployment,
            executionArn,
            runId,
            status,
            ...(checks ? { checks } : {}),
            ...(unchecked ? { unchecked } : {}),
        }),
    };
}

// EXTERNAL MODULE: ./src/targets/stepfunctions/teardown.ts
var teardown = __webpack_require__(9436);
;// CONCATENATED MODULE: ./src/targets/stepfunctions/index.ts
/**
 * Target step-functions, executor aws: one Lambda function per group (compute: lambda) or a Batch job
 * (compute: batch) inside one state machine whose waiting follows the group graph.
 */




function stepFunctionsBackend() {
    return {
        name: 'step-functions',
        imageKind: 'lambda',
        detachedNote: 'Not waiting ("wait: false"): the execution goes on without this workflow.',
        deploy: stepfunctions_deploy/* deployStateMachine */.A,
        start: startStateMachineRun,
        leaseRun: (handle) => ({ execution_arn: handle.executionArn }),
        stillRunning: async (ctx, run) => {
            if (!run.execution_arn)
                return undefined;
            const { status } = await (0,stepfunctions/* describeExecution */.ki)(ctx.aws().sfn, run.execution_arn);
            return status === 'RUNNING' || status === 'PENDING_REDRIVE';
        },
        wait: waitForStateMachineRun,
        facts: stateMachineRunFacts,
        teardown: teardown/* teardownStateMachine */.L,
    };
}

;// CONCATENATED MODULE: ./src/targets/index.ts


/**
 * The backend of the inputs: `target` and `executor`. The local executor and what it needs (the
 * Step Functions interpreter, a schema validator) are loaded only when it is chosen.
 */
async function backendFor(ctx) {
    const { target, executor } = ctx.inputs;
    if (target === 'batch')
        return batchBackend();
    if (executor === 'local') {
        const { localBackend } = await Promise.all(/* import() */[__webpack_require__.e(198), __webpack_require__.e(76)]).then(__webpack_require__.bind(__webpack_require__, 6076));
        return localBackend();
    }
    return stepFunctionsBackend();
}

;// CONCATENATED MODULE: ./src/modes/build.ts
/**
 * mode: build. One image for every group, from what `package` made (the wheel, the conf archive, the
 * plan), pushed to ECR and pinned by digest.
 *
 * - The ECR repository is created when missing (scan on push); the registry login comes from
 *   GetAuthorizationToken, its password masked before anything is logged.
 * - builder `oci` (what `auto` picks): no engine, layers built on the runner and pushed with the
 *   registry API (src/build/oci.ts); builder `docker`: `docker buildx build` of a generated Dockerfile, or
 *   of the project's own (`dockerfile`, which is what makes `auto` pick docker), on a docker-container
 *   builder with GitHub's cache when the step has it.
 * - Both push the image by its digest only; the tags (the git SHA and the stage) are then set with ECR's
 *   PutImage. An immutable repository keeps a tag that exists on the image it is on: a notice, not a
 *   failure, since everything downstream uses the digest.
 * - The project's dependencies are the lock's that `package` wrote (`requirements-lock`), installed with
 *   `pip --no-deps --require-hashes`: the same lock gives the same packages, and the same digest.
 * - An image whose digest is already in the repository is not pushed again (the oci builder knows the
 *   digest before pushing).
 * - `registry` replaces the registry host that ECR names (an emulator's ECR names AWS's own host).
 */




















/**
 * The builder to use. `auto` is the one that works without setup: oci (Python and pip, which `package`
 * needs anyway); docker only for the project's own Dockerfile, and only when an engine answers (the
 * docker builder also needs a docker-container buildx builder, which it creates).
 */
async function chooseBuilder(choice, o) {
    if (choice !== 'auto')
        return choice;
    return o.dockerfile && (await o.dockerAvailable()) ? 'docker' : 'oci';
}
/** Tags of the image: the commit (when known) and the stage. */
function imageTagsFor(sha, stage) {
    const tags = [];
    if (sha && /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(sha))
        tags.push(sha);
    if (/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(stage) && !tags.includes(stage))
        tags.push(stage);
    return tags;
}
async function buildMode(ctx, options) {
    const { inputs } = ctx;
    // Target batch: a container whose command runs the Batch entry point; otherwise the Lambda image.
    const kind = (await backendFor(ctx)).imageKind;
    const { plan, deployment } = (0,common/* loadPlan */.Yq)(ctx);
    const wheel = (0,common/* required */.mw)(ctx, context_state/* STATE */.c4.wheel, 'mode "package"');
    const confArchive = (0,common/* required */.mw)(ctx, context_state/* STATE */.c4.confArchive, 'mode "package"');
    const platform = (0,layout/* parsePlatform */.FL)(options.platform);
    const baseImage = options.baseImage ?? (kind === 'batch' ? layout/* batchBaseImage */.hN : layout/* lambdaBaseImage */.Id)(plan.project.python_version);
    const builder = await chooseBuilder(options.builder, {
        dockerfile: Boolean(options.dockerfile),
        dockerAvailable: options.dockerAvailable ?? docker/* dockerEngineAvailable */.yX,
    });
    if (builder === 'oci' && options.dockerfile) {
        throw new errors/* ActionError */.l(`input "${src_inputs/* INPUT */.bO.dockerfile}" needs a Docker engine (builder docker), but the builder is oci` +
            `${options.builder === 'auto' ? ' ("docker info" found no engine)' : ''}; remove "${src_inputs/* INPUT */.bO.dockerfile}" to use the generated image layout`);
    }
    if (builder === 'docker') {
        const refusal = await (options.dockerPlatformRefusal ?? dockerPlatformRefusal)(platform);
        if (refusal)
            throw new errors/* ActionError */.l(refusal);
    }
    core.info(`Building the image of ${plan.project.package_name} with the ${builder} builder (${platform}, base ${baseImage})`);
    // The image's packages: exactly the lock's (`dependencies: skip` leaves them out, in tests of the oci builder).
    const skipDependencies = builder === 'oci' && options.dependencies === 'skip';
    const lock = skipDependencies
        ? undefined
        : (0,build_lock/* readLock */.mF)((0,common/* required */.mw)(ctx, context_state/* STATE */.c4.requirementsLock, 'mode "package"'), {
            pythonVersion: plan.project.python_version,
            platform,
            pipOnRunner: builder === 'oci',
        });
    if (lock) {
        const packages = lock.parsed.requirements.length;
        core.info(`Dependencies: the ${packages} package(s) of the lock ${lock.file}${packages && lock.hashed ? ', hashes checked' : ''}`);
    }
    // What the image is built from, as its labels: deploy compares them with the package of its step.
    const provenance = await (0,build_provenance/* packageProvenance */.U3)({
        wheel,
        confArchive,
        plan,
        scratch: external_node_path_.join(ctx.workDir, 'provenance-conf'),
    });
    const labels = (0,build_provenance/* provenanceLabels */.Xd)(provenance);
    const ecr = (0,aws_ecr/* ecrClient */.GD)({
        region: (0,aws_clients/* resolveRegion */.Zv)(inputs.awsRegion, ctx.env),
        maxAttempts: inputs.maxRetries,
        credentials: ctx.credentials(),
        env: ctx.env,
    });
    const tags = (0,common/* stageTags */.gd)(ctx, deployment);
    const repo = await (0,aws_ecr/* ensureRepository */.z0)(ecr, {
        name: options.ecrRepository ?? (0,aws_ecr/* defaultRepositoryName */.R6)(deployment.project),
        create: options.createRepository,
        tags,
    });
    core.info(`ECR repository ${repo.uri}${repo.created ? ' created (scan on push)' : ''}`);
    const login = await (0,aws_ecr/* registryLogin */.j8)(ecr, repo.registryId);
    const target = (0,registry/* registryEndpoint */.Fh)(options.registry ?? repo.registry);
    if (options.registry)
        core.info(`Pushing to ${target.url} (input "${src_inputs/* INPUT */.bO.registry}") instead of ${repo.registry}`);
    const imageTags = imageTagsFor(ctx.env.GITHUB_SHA, deployment.stage);
    const cacheDir = options.cacheDir ?? external_node_path_.join(ctx.workDir, 'oci');
    let digest;
    /** The manifest as pushed, when the builder has it (oci); the docker builder's is read back from ECR. */
    let manifest;
    let alreadyThere = false;
    let bytesPushed = 0;
    let totalBytes = 0;
    if (builder === 'docker') {
        const context = await (0,build_context/* prepareDockerContext */.dn)({
            wheel,
            confArchive,
            env: deployment.env,
            dir: external_node_path_.join(ctx.workDir, 'docker-context'),
            baseImage,
            projectName: plan.project.name,
            pythonVersion: plan.project.python_version,
            dockerfile: options.dockerfile,
            kind,
            lock: lock,
        });
        core.info(`Build context ${context.dir} (${context.generated ? 'generated Dockerfile' : `Dockerfile ${context.dockerfile}`})`);
        digest = await (0,docker/* dockerBuildAndPush */.a0)({
            contextDir: context.dir,
            dockerfile: context.dockerfile,
            platform,
            repositoryRef: `${target.host}/${repo.name}`,
            registry: target.host,
            username: login.username,
            password: login.password,
            cacheScope: `kedro-aws-${repo.name.replace(/[^A-Za-z0-9_-]/g, '-')}`,
            workDir: ctx.workDir,
            env: ctx.env,
            labels,
        });
    }
    else {
        const credentials = { username: login.username, password: login.password };
        const baseRegistry = (0,registry/* parseImageRef */.Q)(baseImage).registry;
        const baseClient = new registry/* RegistryClient */.bP({
            registry: baseRegistry === target.host ? target.url : baseRegistry,
            // The target's credentials go only to the target's own host; other bases are pulled anonymously.
            credentials: baseRegistry === target.host ? credentials : undefined,
        });
        const client = new registry/* RegistryClient */.bP({ registry: target.url, credentials });
        const image = await buildImage({
            wheel,
            confArchive,
            env: deployment.env,
            pythonVersion: plan.project.python_version,
            platform,
            baseImage,
            kind,
            baseClient,
            python: inputs.python,
            dependencies: options.dependencies ?? 'install',
            ...(lock ? { lock } : {}),
            cacheDir,
            labels,
            log: (line) => core.info(line),
        });
        if (image.conf.excluded.length)
            core.info(`Conf left out of the image: ${image.conf.excluded.map((f) => `conf/${f}`).join(', ')}`);
        const pushed = await pushImage(image, {
            client,
            repository: repo.name,
            alreadyThere: (d) => (0,aws_ecr/* imageExists */.US)(ecr, repo.name, d, repo.registryId),
            cacheDir,
            log: (line) => core.info(line),
        });
        digest = pushed.digest;
        manifest = { body: image.manifest.toString('utf8'), mediaType: image.mediaType };
        alreadyThere = pushed.alreadyThere;
        bytesPushed = pushed.stats.bytesUploaded;
        totalBytes = image.totalBytes;
        core.info(alreadyThere
            ? `Image ${digest} was already in ${repo.name}: nothing pushed`
            : `Pushed ${formatBytes(bytesPushed)} of ${formatBytes(totalBytes)} (${pushed.stats.blobsUploaded} blob(s) sent, ` +
                `${pushed.stats.blobsPresent} already there, ${pushed.stats.blobsMounted} mounted)`);
    }
    const imageUri = `${target.host}/${repo.name}@${digest}`;
    const tagged = await (0,aws_ecr/* tagImage */.E$)(ecr, {
        repository: repo.name,
        registryId: repo.registryId,
        digest,
        tags: imageTags,
        ...(manifest ? { manifest } : {}),
    });
    if (tagged.set.length)
        core.info(`Tagged ${tagged.set.join(', ')}`);
    if (tagged.kept.length) {
        core.notice(`Tag(s) ${tagged.kept.map((t) => `"${t}"`).join(', ')} stay on the image they are on: the ECR repository ` +
            `${repo.name} has immutable tags (ImageTagAlreadyExistsException). This image is used by its digest, ${imageUri}.`);
    }
    const result = {
        builder,
        imageUri,
        digest,
        repository: repo.name,
        alreadyThere,
        bytesPushed,
        totalBytes,
        tags: tagged,
    };
    (0,files/* writePrivateFile */.Pl)(external_node_path_.join(ctx.workDir, 'build.json'), `${JSON.stringify(result, null, 2)}\n`);
    core.info(`Image: ${imageUri}`);
    ctx.remember({ [context_state/* STATE */.c4.imageUri]: imageUri });
    (0,context_image/* recordPlatform */.zo)(ctx, imageUri, platform);
    ctx.setOutput(outputs/* OUTPUT */.a.imageUri, imageUri);
    ctx.setOutput(outputs/* OUTPUT */.a.imageDigest, digest);
    ctx.setOutput(outputs/* OUTPUT */.a.platform, platform);
    return result;
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-s3/dist-cjs/index.js
var client_s3_dist_cjs = __webpack_require__(3711);
// EXTERNAL MODULE: ./src/verify/records.ts
var verify_records = __webpack_require__(1127);
;// CONCATENATED MODULE: ./src/aws/records.ts
/**
 * The run records on S3 (see src/verify/records.ts for what they are): conditional writes (a record
 * is never overwritten), reads validated against their schema, and what S3 holds now at a recorded key.
 */



/** The input that names where the records are (its default: `.kedro-aws/` in the outputs' bucket). */
const RECORDS_INPUT = 'run-records';
const about = (call, bucket, key) => ({
    call,
    resource: `s3://${bucket}/${key}`,
    input: RECORDS_INPUT,
    hint: 'The run records are kept in the bucket of the pipeline\'s outputs unless "run-records" names another.',
});
function records_status(error) {
    return error instanceof client_s3_dist_cjs/* S3ServiceException */.Hcp ? error.$metadata.httpStatusCode : undefined;
}
function isNotFound(error) {
    return (records_status(error) === 404 ||
        error?.name === 'NoSuchKey' ||
        error?.name === 'NotFound');
}
/** Writes `body` at `key` only when nothing is there (If-None-Match: *); false when something was. */
async function putIfAbsent(client, bucket, key, body) {
    try {
        await client.send(new client_s3_dist_cjs/* PutObjectCommand */.wKZ({
            Bucket: bucket,
            Key: key,
            Body: `${JSON.stringify(body, null, 2)}\n`,
            ContentType: 'application/json',
            IfNoneMatch: '*',
        }));
        return true;
    }
    catch (error) {
        // 412: there is one already; 409: a concurrent conditional write of the same key is in flight.
        if (records_status(error) === 412 || records_status(error) === 409)
            return false;
        throw (0,aws_errors/* awsError */.es)(error, about('s3:PutObject', bucket, key));
    }
}
/** Writes `body` at `key` only when the object there still has `etag` (If-Match); false when it changed. */
async function putIfUnchanged(client, bucket, key, etag, body) {
    try {
        await client.send(new client_s3_dist_cjs/* PutObjectCommand */.wKZ({
            Bucket: bucket,
            Key: key,
            Body: `${JSON.stringify(body, null, 2)}\n`,
            ContentType: 'application/json',
            IfMatch: etag,
        }));
        return true;
    }
    catch (error) {
        if (records_status(error) === 412 || records_status(error) === 409 || isNotFound(error))
            return false;
        throw (0,aws_errors/* awsError */.es)(error, about('s3:PutObject', bucket, key));
    }
}
/** Writes `body` at `key`, replacing what is there (the stage record, which each deploy renews). */
async function putJson(client, bucket, key, body) {
    await (0,aws_errors/* awsCall */.uF)(about('s3:PutObject', bucket, key), () => client.send(new client_s3_dist_cjs/* PutObjectCommand */.wKZ({
        Bucket: bucket,
        Key: key,
        Body: `${JSON.stringify(body, null, 2)}\n`,
        ContentType: 'application/json',
    })));
}
/** The JSON at `key` checked against `schema` with its ETag; undefined when there is no object. */
async function getJson(client, bucket, key, schema) {
    let text;
    let etag;
    try {
        const res = await client.send(new client_s3_dist_cjs/* GetObjectCommand */.jLs({ Bucket: bucket, Key: key }));
        text = (await res.Body?.transformToString()) ?? '';
        etag = res.ETag ?? '';
    }
    catch (error) {
        if (isNotFound(error))
            return undefined;
        throw (0,aws_errors/* awsError */.es)(error, about('s3:GetObject', bucket, key));
    }
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch {
        throw new Error(`s3://${bucket}/${key} is not JSON`);
    }
    const result = schema.safeParse(parsed);
    if (!result.success)
        throw new Error(`s3://${bucket}/${key} is not a record this action wrote: ${result.error.message}`);
    return { value: result.data, etag };
}
/** Every key under `prefix` (paginated). */
async function listKeys(client, bucket, prefix) {
    const keys = [];
    let token;
    do {
        const page = await client.send(new client_s3_dist_cjs/* ListObjectsV2Command */.u6x({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        keys.push(...(page.Contents ?? []).map((o) => o.Key));
        token = page.NextContinuationToken;
    } while (token);
    return keys;
}
/** The next level of "folders" under `prefix` (as `<prefix><name>/`). */
async function listFolders(client, bucket, prefix) {
    const folders = [];
    let token;
    do {
        const page = await (0,aws_errors/* awsCall */.uF)(about('s3:ListObjectsV2', bucket, prefix), () => client.send(new client_s3_dist_cjs/* ListObjectsV2Command */.u6x({ Bucket: bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token })));
        folders.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix));
        token = page.NextContinuationToken;
    } while (token);
    return folders;
}
/** Every record of one run (all groups, all attempts). */
async function readRunRecords(client, root, project, stage, runId) {
    const keys = await listKeys(client, root.bucket, verify_records/* layout */.Zp.run(root, project, stage, runId));
    const records = [];
    for (const key of keys.filter((k) => k.endsWith('.json') && !k.endsWith('/run.json'))) {
        const got = await getJson(client, root.bucket, key, verify_records/* RunRecordSchema */.g$);
        if (got)
            records.push(got.value);
    }
    return records;
}
/** The run ids a stage has records of, oldest first (Kedro run ids sort by time). */
async function recordedRuns(client, root, project, stage) {
    const runs = verify_records/* layout */.Zp.runs(root, project, stage);
    return (await listFolders(client, root.bucket, runs)).map((p) => p.slice(runs.length, -1)).sort();
}
/** The stages of a project that have records (of runs, a stage record or a lease). */
async function recordedStages(client, root, project) {
    const base = verify_records/* layout */.Zp.project(root, project);
    return (await listFolders(client, root.bucket, base)).map((p) => p.slice(base.length, -1)).sort();
}
/** Every stage of every project that has a stage record under the root. */
async function readStageRecords(client, root) {
    const base = root.prefix ? `${root.prefix}/` : '';
    const records = [];
    for (const project of await listFolders(client, root.bucket, base)) {
        for (const stage of await listFolders(client, root.bucket, project)) {
            const got = await getJson(client, root.bucket, `${stage}stage.json`, verify_records/* StageRecordSchema */.XI);
            if (got)
                records.push(got.value);
        }
    }
    return records;
}
async function readLease(client, root, project, stage) {
    return getJson(client, root.bucket, verify_records/* layout */.Zp.lease(root, project, stage), verify_records/* LeaseSchema */.GD);
}
/** What S3 holds now at a key (the latest version, or the version given), undefined when nothing. */
async function currentObject(client, bucket, key, versionId) {
    try {
        const head = await client.send(new client_s3_dist_cjs/* HeadObjectCommand */.l81({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
        return {
            etag: head.ETag ?? '',
            versionId: head.VersionId ?? undefined,
            size: head.ContentLength ?? 0,
            lastModified: head.LastModified,
        };
    }
    catch (error) {
        // A version id that is not there any more answers 404 (or 400 on a bucket that was never versioned).
        if (isNotFound(error) || (versionId && records_status(error) === 400))
            return undefined;
        throw (0,aws_errors/* awsError */.es)(error, { ...about('s3:HeadObject', bucket, key), input: undefined, hint: undefined });
    }
}
/** Every record of every run of a stage. */
async function readStageRunRecords(client, root, project, stage) {
    const records = [];
    for (const runId of await recordedRuns(client, root, project, stage)) {
        records.push(...(await readRunRecords(client, root, project, stage, runId)));
    }
    return records;
}
/** Deletes one object (one version of it, when `versionId` is given). */
async function deleteObject(client, bucket, key, versionId) {
    await client.send(new client_s3_dist_cjs/* DeleteObjectCommand */.k4j({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
}

;// CONCATENATED MODULE: ./src/context/proof.ts
/**
 * Proof from the run records (src/verify/records.ts): for verify, each expected output judged against
 * this run's records and what S3 holds now; for teardown, the objects a stage's records hold that are
 * still the ones it wrote.
 */





const where = (o) => `${o.bucket}/${o.key}`;
/** The verdict on each expected output of a run. */
async function proveOutputs(s3, run, expected) {
    const manifest = (0,verify_records/* manifestOf */.$V)(await readRunRecords(s3, run.root, run.project, run.stage, run.runId));
    const recorded = new Map(expected.map((o) => [o.dataset, (0,verify_records/* objectsOf */.iZ)(o, manifest.get(o.dataset))]));
    const current = new Map();
    for (const objects of recorded.values()) {
        for (const o of objects) {
            if (!current.has(where(o)))
                current.set(where(o), await currentObject(s3, o.bucket, o.key));
        }
    }
    // Who rewrote an object: the records of the project's runs after this one (any stage) are read only
    // when some object is not this run's any more.
    const rewritten = [...recorded.values()].flat().some((o) => {
        const now = current.get(where(o));
        return now !== undefined && !(0,verify_records/* sameWrite */.WV)(o, now);
    });
    const claims = rewritten ? await laterWrites(s3, run) : [];
    const claimedBy = (at, now) => claims.find((c) => where(c.object) === at && (0,verify_records/* sameWrite */.WV)(c.object, now))?.by;
    return expected.map((o) => (0,verify_records/* judgeRecorded */.KM)(o, recorded.get(o.dataset) ?? [], current, claimedBy));
}
/** Every object the records of the project's runs after `run` hold, with the run that wrote it. */
async function laterWrites(s3, run) {
    const stages = new Set([run.stage, ...(await recordedStages(s3, run.root, run.project))]);
    const claims = [];
    for (const stage of stages) {
        for (const runId of await recordedRuns(s3, run.root, run.project, stage)) {
            if (runId <= run.runId && stage === run.stage)
                continue;
            if (runId === run.runId)
                continue;
            for (const record of await readRunRecords(s3, run.root, run.project, stage, runId)) {
                const by = describeRun(record);
                for (const { objects } of Object.values(record.datasets))
                    for (const object of objects)
                        claims.push({ object, by });
            }
        }
    }
    return claims;
}
function describeRun(record) {
    const link = record.origin.workflow_run_url ? ` (${record.origin.workflow_run_url})` : '';
    return `run ${record.run_id} of stage "${record.stage}"${link}`;
}
/**
 * Deletes what a stage's records prove it wrote and nobody rewrote since: a recorded version (versioned
 * bucket) is deleted as that version; an object without a version only when it is still the write the
 * stage recorded. Then the stage's own records. Nothing is deleted by prefix; a stage without records
 * deletes no data.
 */
async function removeStageData(s3, root, project, stage) {
    const writes = new Map();
    for (const record of await readStageRunRecords(s3, root, project, stage)) {
        for (const { objects } of Object.values(record.datasets)) {
            for (const o of objects)
                writes.set(where(o), [...(writes.get(where(o)) ?? []), o]);
        }
    }
    const result = { deleted: [], kept: [], records: 0 };
    for (const [at, objects] of writes) {
        const { bucket, key } = objects[0];
        const versions = [...new Set(objects.map((o) => o.version_id).filter((v) => Boolean(v)))];
        if (versions.length > 0) {
            for (const versionId of versions) {
                if (!(await currentObject(s3, bucket, key, versionId)))
                    continue;
                await deleteObject(s3, bucket, key, versionId);
                result.deleted.push(`s3://${at}?versionId=${versionId}`);
            }
            continue;
        }
        const now = await currentObject(s3, bucket, key);
        if (!now)
            continue;
        if (objects.some((o) => (0,verify_records/* sameWrite */.WV)(o, now))) {
            await deleteObject(s3, bucket, key);
            result.deleted.push(`s3://${at}`);
        }
        else {
            result.kept.push(`s3://${at} (rewritten since this stage wrote it)`);
        }
    }
    for (const recordKey of await listKeys(s3, root.bucket, verify_records/* layout */.Zp.stage(root, project, stage))) {
        await deleteObject(s3, root.bucket, recordKey);
        result.records += 1;
    }
    return result;
}
/**
 * Before a stage is deployed: refuses (or, with `allow-shared-outputs`, warns) when another stage's
 * record claims any of this stage's output paths, then records this stage's (its stage record).
 */
async function claimStageOutputs(ctx, loaded) {
    const { plan, deployment } = loaded;
    const { root } = (0,common/* stageRecords */.tY)(ctx, loaded);
    const { s3 } = ctx.aws();
    const mine = (0,verify_records/* stageOutputs */.Tp)(plan);
    const others = (await readStageRecords(s3, root)).filter((r) => !(r.project === deployment.project && r.stage === deployment.stage));
    const clash = (0,verify_records/* overlaps */.$f)(mine, others);
    if (clash.length > 0) {
        const byStage = new Map();
        for (const c of clash) {
            byStage.set(c.stage, [
                ...(byStage.get(c.stage) ?? []),
                `${c.mine.dataset} (s3://${c.mine.bucket}/${c.mine.key})`,
            ]);
        }
        const what = [...byStage]
            .map(([stage, datasets]) => `stage "${stage}" writes there too: ${datasets.join(', ')}`)
            .join('; ');
        const message = `stage "${deployment.stage}" would write where another stage does (records in ${(0,verify_records/* recordsRootUrl */.sO)(root)}): ${what}. ` +
            'Separate them with a runtime param in the catalog paths (e.g. s3://<bucket>/${runtime_params:output_prefix, main}/...) ' +
            'and a value per stage in the "runtime-params" input';
        if (!ctx.inputs.allowSharedOutputs) {
            throw new errors/* ActionError */.l(`${message}; or set "allow-shared-outputs: true" to share them on purpose.`);
        }
        core.warning(`${message}. Shared on purpose ("allow-shared-outputs"): teardown removes only what each stage wrote.`);
    }
    const record = {
        kind: 'kedro-aws-stage-record',
        version: 1,
        project: deployment.project,
        stage: deployment.stage,
        runtime_params: plan.runtime_params,
        outputs: mine,
        origin: (0,common/* originOf */.yv)(ctx),
    };
    const key = verify_records/* layout */.Zp.stageRecord(root, deployment.project, deployment.stage);
    // Compare before write: a redeploy with nothing changed changes nothing (where it came from aside).
    const current = await getJson(s3, root.bucket, key, verify_records/* StageRecordSchema */.XI);
    if (current && (0,common/* canonicalJson */.dj)({ ...current.value, origin: {} }) === (0,common/* canonicalJson */.dj)({ ...record, origin: {} })) {
        core.info(`Stage record s3://${root.bucket}/${key} unchanged`);
        return;
    }
    await putJson(s3, root.bucket, key, record);
    core.info(`Stage record s3://${root.bucket}/${key} ${current ? 'updated' : 'written'}`);
}

;// CONCATENATED MODULE: ./src/modes/deploy.ts
/**
 * mode: deploy. Checks that the image was built from this step's package (its labels), then creates or
 * updates the stage's resources through the target's backend (compare before write: a redeploy with
 * nothing changed makes no mutating call), inside a GitHub deployment of the stage that ends `success`
 * with the console URL, or `failure`.
 */





async function deployMode(ctx, backend) {
    const chosen = backend ?? (await backendFor(ctx));
    const tracked = await (0,publish/* trackDeployment */.F3)(ctx, ctx.inputs.stage, `kedro-aws-action: ${ctx.inputs.target} stage ${ctx.inputs.stage}`);
    try {
        const loaded = (0,common/* loadPlan */.Yq)(ctx);
        // Before anything is deployed: the image is built from this step's package (or allowed not to be),
        await (0,context_image/* checkImage */.cd)(ctx, loaded);
        // and no other stage may write where this one does.
        await claimStageOutputs(ctx, loaded);
        const consoleUrl = await chosen.deploy(ctx, loaded);
        await tracked.finish('success', consoleUrl);
    }
    catch (error) {
        await tracked.finish('failure');
        throw error;
    }
}

// EXTERNAL MODULE: ./src/kedro/export.ts + 1 modules
var kedro_export = __webpack_require__(2418);
// EXTERNAL MODULE: ./src/kedro/python.ts
var python = __webpack_require__(5497);
;// CONCATENATED MODULE: ./src/kedro/package.ts
/** `kedro package`: the project's wheel and its conf archive, found where Kedro writes them. */




async function kedroPackage(options) {
    const distDir = external_node_path_.join(options.projectPath, 'dist');
    const started = Date.now();
    const result = await (0,python/* runPython */.w)(options.python, ['-m', 'kedro', 'package'], {
        cwd: options.projectPath,
        label: 'kedro package',
    });
    if (result.code !== 0) {
        throw new errors/* ActionError */.l(`"kedro package" failed in ${options.projectPath} (exit code ${result.code}); ` +
            `its output is above.\nLast lines:\n${result.stderrTail}`);
    }
    return findArtifacts(distDir, options.packageName, started);
}
/**
 * The wheel and conf archive that this `kedro package` wrote: dist/ may hold older builds, so only
 * files written since `since` (ms) count, and the newest wheel of the package wins.
 */
function findArtifacts(distDir, packageName, since) {
    const fresh = (f) => external_node_fs_.statSync(external_node_path_.join(distDir, f)).mtimeMs >= since - 2000;
    const files = external_node_fs_.existsSync(distDir) ? external_node_fs_.readdirSync(distDir) : [];
    // The wheel is named after the distribution ([project] name), which may differ from the package.
    const wheels = files
        .filter((f) => f.endsWith('.whl') && fresh(f))
        .sort((a, b) => external_node_fs_.statSync(external_node_path_.join(distDir, b)).mtimeMs - external_node_fs_.statSync(external_node_path_.join(distDir, a)).mtimeMs);
    const conf = `conf-${packageName}.tar.gz`;
    if (wheels.length === 0) {
        throw new errors/* ActionError */.l(`"kedro package" finished but wrote no wheel (.whl) in ${distDir}`);
    }
    if (!files.includes(conf) || !fresh(conf)) {
        throw new errors/* ActionError */.l(`"kedro package" finished but wrote no ${conf} in ${distDir}`);
    }
    return { wheel: external_node_path_.join(distDir, wheels[0]), confArchive: external_node_path_.join(distDir, conf) };
}

;// CONCATENATED MODULE: ./src/plan/filesystems.ts
/** PEP 503 normalised name (`Foo_Bar.baz` → `foo-bar-baz`). */
function normalize(name) {
    return name.toLowerCase().replace(/[-_.]+/g, '-');
}
/** `kedro-datasets[pandas-csvdataset,s3fs-base]>=9; python_version>"3"` → name and extras, normalised. */
function parseRequirement(line) {
    const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?/.exec(line);
    if (!m)
        return undefined;
    const extras = (m[2] ?? '')
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean)
        .map(normalize);
    return { name: normalize(m[1]), extras };
}
/** `dist` or `dist[extra]` of the plan: does one of the requirements bring it in? */
function reached(provider, requirements) {
    const m = /^([^[\]]+)(?:\[([^\]]+)\])?$/.exec(provider);
    if (!m)
        return false;
    const [name, extra] = [normalize(m[1]), m[2] ? normalize(m[2]) : undefined];
    return requirements.some((r) => r.name === name && (extra === undefined || r.extras.includes(extra)));
}
/** The packages the file systems need that the wheel's requirements do not reach. */
function unmetFilesystemPackages(filesystems, wheelRequirements) {
    const requirements = wheelRequirements.map(parseRequirement).filter((r) => r !== undefined);
    const unmet = [];
    for (const fs of filesystems ?? []) {
        for (const pkg of fs.packages) {
            const name = normalize(pkg.name);
            if (requirements.some((r) => r.name === name) || pkg.provided_by.some((p) => reached(p, requirements)))
                continue;
            unmet.push({ protocol: fs.protocol, package: name, datasets: fs.datasets, locations: fs.locations ?? [] });
        }
    }
    return unmet;
}
/** The refusal: which package to add, for which datasets, and where dependencies are declared. */
function unmetFilesystemMessage(unmet, env, wheel) {
    const lines = unmet.map((u) => {
        const shown = u.datasets.slice(0, 5).map((d) => `'${d}'`);
        const more = u.datasets.length > shown.length ? ` and ${u.datasets.length - shown.length} more` : '';
        return `"${u.package}" for ${u.protocol}:// (dataset(s) ${shown.join(', ')}${more})`;
    });
    const packages = [...new Set(unmet.map((u) => u.package))];
    return (`the catalog of env "${env}" reads and writes through file systems whose packages the wheel ${wheel} does not ` +
        `require, so the image would not have them and every group using them would fail ("Install ... to access ..."): ` +
        `${lines.join('; ')}. Add ${packages.map((p) => `"${p}"`).join(', ')} to the project's dependencies ` +
        '(the `dependencies` of [project] in pyproject.toml, or the requirements file they are read from) and package again.');
}

// EXTERNAL MODULE: ./src/plan/planner.ts + 1 modules
var planner = __webpack_require__(3715);
// EXTERNAL MODULE: ./src/verify/expected.ts
var verify_expected = __webpack_require__(917);
;// CONCATENATED MODULE: ./src/modes/package.ts
/**
 * mode: package. Asks Kedro for the plan (refusing what cannot run distributed before anything is
 * built), checks it with the planner, then `kedro package` gives the wheel and the conf archive, which
 * are refused when they cannot run the plan on AWS (an env the archive does not ship, a file system whose
 * package the wheel does not require), and the lock of the image's Python packages is written
 * (src/build/lock.ts: the project's own, or made with uv).
 */
















/** The env folders of the project's conf/ that an archive would ship (conf/local never). */
function projectEnvs(projectPath) {
    const conf = external_node_path_.join(projectPath, 'conf');
    if (!external_node_fs_.existsSync(conf))
        return [];
    return external_node_fs_.readdirSync(conf, { withFileTypes: true })
        .filter((e) => e.isDirectory() && e.name !== 'local' && e.name !== 'base')
        .map((e) => e.name)
        .sort();
}
/** Refuses an env whose conf no image can have; `shipped` lists the envs there are. */
function unshippedEnvMessage(env, shipped, archive) {
    const envs = shipped.filter((e) => e !== 'base');
    const listed = envs.length ? `the envs it ships: ${envs.join(', ')}` : 'it ships no env besides base';
    if (env === 'local') {
        return (`input "${src_inputs/* INPUT */.bO.env}" is "local", but conf/local holds machine-local settings and credentials: "kedro package" ` +
            'leaves its files out of the conf archive and no image has it, so every group would fail on AWS with ' +
            `MissingConfigException. Use an env that is shipped (${listed}), e.g. conf/aws with the remote paths for AWS.`);
    }
    const where = archive ? `the conf archive ${external_node_path_.basename(archive)}` : 'the conf archive of "kedro package"';
    return (`input "${src_inputs/* INPUT */.bO.env}" is "${env}", but ${where} has no files of conf/${env} that go in an image ` +
        '("kedro package" leaves out every local/*.yml, and credentials files never go in), so every group would ' +
        `fail on AWS with MissingConfigException. Use an env that is shipped (${listed}), or keep conf/${env}'s ` +
        'files out of folders named local.');
}
async function packageMode(ctx) {
    const { inputs } = ctx;
    if (inputs.env === 'local')
        throw new errors/* ActionError */.l(unshippedEnvMessage(inputs.env, projectEnvs(inputs.projectPath)));
    const planFile = external_node_path_.join(ctx.workDir, 'plan.json');
    const scaffoldDir = external_node_path_.join(ctx.workDir, 'scaffold');
    core.info(`Exporting the plan of pipeline "${inputs.pipeline}" in conf env "${inputs.env}" with Kedro`);
    const plan = await (0,kedro_export/* exportPlan */.OI)({
        python: inputs.python,
        projectPath: inputs.projectPath,
        env: inputs.env,
        pipeline: inputs.pipeline,
        runtimeParams: inputs.runtimeParams,
        output: planFile,
        scaffold: {
            dir: scaffoldDir,
            bucket: inputs.runRecords ? (0,verify_expected/* parseS3Url */.F$)(inputs.runRecords).bucket : undefined,
            found: (files) => {
                ctx.setOutput(outputs/* OUTPUT */.a.scaffold, scaffoldDir);
                core.warning(`conf/${inputs.env} is missing or lacks catalog entries a run of one group at a time needs: suggested ` +
                    `${files.map((f) => f.file).join(' and ')} are below and in ${scaffoldDir} (output "${outputs/* OUTPUT */.a.scaffold}"). ` +
                    `Copy them into ${inputs.projectPath === '.' ? '' : `${inputs.projectPath}/`}conf/${inputs.env}/ ` +
                    `(see "Adapt your project" in the action's README).`);
                for (const f of files)
                    core.info(`----- ${f.file} (suggested) -----\n${f.text.trimEnd()}\n-----`);
            },
        },
    });
    for (const warning of plan.warnings)
        core.warning(warning);
    if (inputs.runtimeParams) {
        // What every group of a run gets (run starts with exactly these): Kedro's reading of the input.
        core.info(`Runtime params, as Kedro reads them: ${JSON.stringify(plan.runtime_params)}`);
    }
    // Planning errors (names, settings, limits) surface now, before anything is built or deployed.
    const deployment = (0,planner/* buildPlan */.G)(plan, { stage: inputs.stage, groupSettings: inputs.groupSettings });
    core.info(`Kedro ${plan.project.kedro_version}, package ${plan.project.package_name}: ` +
        `${deployment.groups.length} group(s) in ${deployment.levels.length} level(s)`);
    for (const group of deployment.groups) {
        const after = group.dependencies.length ? ` after ${group.dependencies.join(', ')}` : '';
        core.info(`  ${group.name} (${group.type}, ${group.nodes.length} node(s))${after}`);
    }
    core.info(`Packaging ${plan.project.package_name} with "kedro package"`);
    const artifacts = await kedroPackage({
        python: inputs.python,
        projectPath: inputs.projectPath,
        packageName: plan.project.package_name,
    });
    core.info(`Wheel: ${artifacts.wheel}`);
    core.info(`Conf archive: ${artifacts.confArchive}`);
    // What the archive and the wheel give the image must be enough to run the plan there.
    const shipped = (0,layout/* shippedEnvs */.WO)(await (0,build_context/* listArchive */.d0)(artifacts.confArchive));
    if (plan.env !== 'base' && !shipped.includes(plan.env)) {
        throw new errors/* ActionError */.l(unshippedEnvMessage(plan.env, shipped, artifacts.confArchive));
    }
    const unmet = unmetFilesystemPackages(plan.filesystems, (0,wheel/* readWheelMetadata */.rN)(artifacts.wheel).requirements);
    if (unmet.length) {
        throw new errors/* ActionError */.l(unmetFilesystemMessage(unmet, plan.env, external_node_path_.basename(artifacts.wheel)), (0,kedro_export/* workspaceLocations */.Qw)(unmet.flatMap((u) => u.locations), inputs.projectPath));
    }
    const platform = (0,layout/* parsePlatform */.FL)(inputs.platform);
    const lock = await (0,build_lock/* makeLock */.a8)({
        python: inputs.python,
        projectPath: inputs.projectPath,
        wheel: artifacts.wheel,
        pythonVersion: plan.project.python_version,
        platform,
        // The docker builder can build an sdist in the image; the oci builder installs binary wheels only.
        sdists: inputs.builder === 'docker' || (inputs.builder === 'auto' && Boolean(inputs.dockerfile)),
        ...(inputs.requirementsLock ? { given: inputs.requirementsLock } : {}),
        output: external_node_path_.join(ctx.workDir, 'requirements.lock'),
        toolDir: (0,build_lock/* uvToolDir */.ZP)(ctx.env, external_node_path_.dirname(ctx.workDir)),
        env: ctx.env,
        log: (line) => core.info(line),
        notice: (line) => core.notice(line),
    });
    core.info(`Lock: ${lock.file}, ${lock.packages} package(s) for CPython ${plan.project.python_version} on ${platform}` +
        `${lock.hashed ? ' with their hashes' : ''}, from ${lock.source}`);
    ctx.remember({
        [context_state/* STATE */.c4.wheel]: artifacts.wheel,
        [context_state/* STATE */.c4.confArchive]: artifacts.confArchive,
        [context_state/* STATE */.c4.plan]: planFile,
        [context_state/* STATE */.c4.requirementsLock]: lock.file,
    });
    ctx.setOutput(outputs/* OUTPUT */.a.wheel, artifacts.wheel);
    ctx.setOutput(outputs/* OUTPUT */.a.confArchive, artifacts.confArchive);
    ctx.setOutput(outputs/* OUTPUT */.a.plan, planFile);
    ctx.setOutput(outputs/* OUTPUT */.a.requirementsLock, lock.file);
    ctx.setOutput(outputs/* OUTPUT */.a.groups, JSON.stringify(deployment.groups.map((g) => g.name)));
}

;// CONCATENATED MODULE: ./src/context/lease.ts
/**
 * One run of a stage at a time. Before a run starts, `run` takes the stage's lease: a record written
 * with a conditional write (S3 If-None-Match), so two runs cannot both take it. The lease names the run
 * (its holder: the run identity of src/context/identity.ts), and once started the execution or jobs,
 * so that a later run can ask the service whether it still goes. A lease is free when its run has
 * ended (the service says so), or, when the service cannot tell (the local executor), once it expires.
 * With `if-busy: wait` a run waits for the stage (up to `timeout-minutes`, with a notice naming the
 * other run), with `fail` it fails at once.
 */





/** A lease outlives the action's own wait by this much before another run may take it over. */
const EXPIRY_MARGIN_MS = 10 * 60_000;
/** How often a waiting run looks again, and says it still waits. */
const RECHECK_MS = 15_000;
const NOTICE_EVERY_MS = 60_000;
function describe(lease) {
    const link = lease.origin.workflow_run_url ? `, workflow run ${lease.origin.workflow_run_url}` : '';
    const what = lease.run.execution_arn
        ? `, execution ${lease.run.execution_arn}`
        : lease.run.job_ids?.length
            ? `, ${lease.run.job_ids.length} Batch job(s)`
            : '';
    return `run ${lease.run_id}${what}${link}`;
}
async function acquireStage(ctx, loaded, options) {
    const { deployment } = loaded;
    const { root } = (0,common/* stageRecords */.tY)(ctx, loaded);
    const { s3 } = ctx.aws();
    const key = verify_records/* layout */.Zp.lease(root, deployment.project, deployment.stage);
    const mine = () => ({
        kind: 'kedro-aws-lease',
        version: 1,
        holder: options.identity,
        run_id: options.runId,
        expires: ctx.clock.now() + ctx.inputs.timeoutMinutes * 60_000 + EXPIRY_MARGIN_MS,
        origin: (0,common/* originOf */.yv)(ctx),
        run: {},
    });
    const started = ctx.clock.now();
    let lastNotice;
    for (;;) {
        if (await putIfAbsent(s3, root.bucket, key, mine()))
            break;
        const held = await readLease(s3, root, deployment.project, deployment.stage);
        if (!held)
            continue; // released meanwhile: try again
        const other = held.value;
        const running = other.holder === options.identity ? false : await options.stillRunning(other.run);
        const free = running === false || (running === undefined && other.expires < ctx.clock.now());
        if (free) {
            if (await putIfUnchanged(s3, root.bucket, key, held.etag, mine())) {
                if (other.holder !== options.identity)
                    core.info(`Stage "${deployment.stage}": ${describe(other)} has ended; taking the stage`);
                break;
            }
            continue; // someone else took it first: look again
        }
        if (ctx.inputs.ifBusy === 'fail') {
            throw new errors/* ActionError */.l(`stage "${deployment.stage}" is busy: ${describe(other)} is still going ("if-busy: fail"). ` +
                'Wait for it, or set "if-busy: wait"');
        }
        const waited = ctx.clock.now() - started;
        if (waited >= ctx.inputs.timeoutMinutes * 60_000) {
            throw new errors/* ActionError */.l(`stage "${deployment.stage}" was still busy after ${ctx.inputs.timeoutMinutes} minute(s) ("timeout-minutes"): ` +
                `${describe(other)} is still going; nothing was started`);
        }
        if (lastNotice === undefined || ctx.clock.now() - lastNotice >= NOTICE_EVERY_MS) {
            lastNotice = ctx.clock.now();
            core.notice(`Stage "${deployment.stage}" is busy: waiting for ${describe(other)} to end ("if-busy: wait"; ` +
                `${Math.round(waited / 60_000)} of ${ctx.inputs.timeoutMinutes} minute(s)).`);
        }
        await ctx.clock.sleep(RECHECK_MS);
    }
    let run = {};
    return {
        attach: async (started) => {
            run = started;
            const held = await readLease(s3, root, deployment.project, deployment.stage);
            if (held?.value.holder !== options.identity)
                return;
            await putIfUnchanged(s3, root.bucket, key, held.etag, { ...held.value, run });
        },
        release: async () => {
            const held = await readLease(s3, root, deployment.project, deployment.stage);
            if (held?.value.holder === options.identity)
                await deleteObject(s3, root.bucket, key);
        },
    };
}

;// CONCATENATED MODULE: ./src/modes/failure.ts
/**
 * A run that did not succeed (it failed, timed out or was stopped), whatever the mode list: the job
 * summary and the pull-request comment say which group failed and why, the stage's GitHub deployment
 * is marked `failure`, and only then does the step fail, with the run's failure as its message. Used by
 * `run` (which leaves the summary to `verify` only when the run succeeded) and by `verify`.
 */



/** How a deployment's status says the run ended. */
const ENDED = {
    FAILED: 'failed',
    TIMED_OUT: 'timed out',
    ABORTED: 'was stopped',
};
async function failRun(ctx, facts, prefix = '') {
    let message;
    try {
        message = await facts.failure();
    }
    catch (error) {
        message = `the run ended ${facts.status} (why could not be read: ${error.message})`;
    }
    try {
        await facts.summary();
    }
    catch (error) {
        // The step still fails with the run's failure, which is what matters most.
        core.warning(`The job summary of the run was not written: ${error.message}`);
    }
    const firstLine = message.split('\n')[0] ?? '';
    await (0,publish/* markDeploymentFailed */.On)(ctx, `Run ${ENDED[facts.status] ?? `ended ${facts.status}`}: ${firstLine}`);
    throw new errors/* ActionError */.l(`${prefix}${message}`);
}

;// CONCATENATED MODULE: ./src/modes/run.ts
/**
 * mode: run. Starts a run of the deployed stage through the target's backend (a Step Functions
 * execution, the Batch jobs, or the local executor), sets its run id at once, then waits unless
 * `wait: false`, and fails the step unless the run SUCCEEDED. A run that failed, timed out or was
 * stopped is reported here (summary, comment, deployment status: failure.ts) whatever follows; a run
 * that succeeded leaves the summary to `verify` when it comes next in the same step (the one summary,
 * with the outputs it checked).
 */











/**
 * Every group of the run gets the plan's runtime params (Kedro's reading of what `package` was given),
 * and verify looks for the outputs where those put them. A `runtime-params` input given to `run` too
 * must say the same (the same JSON object, or the same `key=value` items), or nothing starts.
 */
function checkRuntimeParams(given, plan) {
    if (!given)
        return;
    const same = given.form === 'json'
        ? (0,common/* sameParams */.xQ)(given.params, plan.runtime_params)
        : plan.runtime_params_text != null && sameItems(given.text, plan.runtime_params_text);
    if (same)
        return;
    const here = given.form === 'json' ? (0,common/* canonicalJson */.dj)(given.params) : JSON.stringify(given.text);
    const there = plan.runtime_params_text != null
        ? `${JSON.stringify(plan.runtime_params_text)}, which Kedro reads as ${(0,common/* canonicalJson */.dj)(plan.runtime_params)}`
        : (0,common/* canonicalJson */.dj)(plan.runtime_params);
    throw new errors/* ActionError */.l(`input "${table/* INPUT */.bO.runtimeParams}" is ${here}, but the plan was exported with ${there}: a run gets the plan's ` +
        `runtime params, and verify looks for the outputs where they put them. Leave "${table/* INPUT */.bO.runtimeParams}" ` +
        'empty for mode "run" to run with the plan\'s, or give it what mode "package" was given (nothing was started)');
}
/** The same `key=value` items, in the same order (the same text for `kedro run --params`). */
function sameItems(a, b) {
    return (0,table/* runtimeParamItems */.a_)(a).join(',') === (0,table/* runtimeParamItems */.a_)(b).join(',');
}
/** Runs the stage; returns what the run was (undefined when `wait: false` left it running). */
async function runMode(ctx, backend) {
    const { inputs } = ctx;
    const chosen = backend ?? (await backendFor(ctx));
    const loaded = (0,common/* loadPlan */.Yq)(ctx);
    const { plan } = loaded;
    checkRuntimeParams(inputs.runtimeParams, plan);
    const runId = inputs.runId ?? (0,common/* kedroRunId */.kF)(new Date(ctx.clock.now()));
    const identity = runIdentity(ctx, loaded, runId);
    const lease = await acquireStage(ctx, loaded, {
        runId,
        identity,
        stillRunning: (run) => chosen.stillRunning(ctx, run),
    });
    let handle;
    try {
        handle = await chosen.start(ctx, loaded, runId);
    }
    catch (error) {
        await lease.release();
        throw error;
    }
    await lease.attach(chosen.leaseRun(handle));
    if (!inputs.wait && chosen.detachedNote) {
        ctx.setOutput(outputs/* OUTPUT */.a.status, 'RUNNING');
        core.info(chosen.detachedNote);
        // The lease stays: a later run asks the service whether this one still goes.
        return undefined;
    }
    const facts = await chosen.wait(ctx, loaded, handle);
    // A run that may still go (it outlived timeout-minutes on a service, on-timeout: leave) keeps the stage:
    // the next run asks the service whether it still goes. A run in this step (no detached note) has ended.
    if (facts.status !== 'TIMED_OUT' || chosen.detachedNote === undefined)
        await lease.release();
    ctx.setOutput(outputs/* OUTPUT */.a.status, facts.status);
    if (facts.status !== 'SUCCEEDED')
        await failRun(ctx, facts);
    if (!inputs.modes.includes('verify'))
        await facts.summary();
    core.info(facts.successLine);
    return facts;
}

;// CONCATENATED MODULE: ./src/modes/teardown.ts
/**
 * mode: teardown. Removes a stage: its compute resources through the target's backend (found by their
 * project and stage tags), then the data its runs wrote as their records prove it (src/verify/records.ts):
 * only objects this stage's records hold and that nobody rewrote since; anything rewritten by another
 * stage is kept and listed. Never by prefix; a stage with no records deletes no data. The stage's
 * GitHub deployments become inactive.
 */









async function teardownMode(ctx, backend) {
    const chosen = backend ?? (await backendFor(ctx));
    const loaded = (0,common/* loadPlan */.Yq)(ctx);
    const { plan, deployment } = loaded;
    const { s3 } = ctx.aws();
    core.info(`Tearing down stage "${deployment.stage}" of ${deployment.project}`);
    const removed = await chosen.teardown(ctx, loaded);
    const root = (0,verify_records/* recordsRoot */.xi)(plan, ctx.inputs.runRecords);
    let data;
    try {
        data = await removeStageData(s3, root, deployment.project, deployment.stage);
    }
    catch (error) {
        const sdk = (0,aws_errors/* sdkErrorOf */.KD)(error);
        if (sdk instanceof client_s3_dist_cjs/* S3ServiceException */.Hcp && sdk.name === 'NoSuchBucket') {
            throw new errors/* ActionError */.l(`teardown: the bucket ${root.bucket} of the run records (${(0,verify_records/* recordsRootUrl */.sO)(root)}; input "run-records") does not exist, ` +
                `so no data of stage "${deployment.stage}" was removed. Already removed: ${removed.length ? removed.join(', ') : 'nothing'}.`);
        }
        throw error;
    }
    await (0,publish/* deactivateDeployments */.j9)(ctx, deployment.stage);
    core.info(`  deleted ${data.deleted.length} object(s) the stage's runs wrote (as its records in ${(0,verify_records/* recordsRootUrl */.sO)(root)} prove), ` +
        `and ${data.records} record file(s)`);
    for (const url of data.deleted.slice(0, 50))
        core.info(`    ${url}`);
    if (data.kept.length) {
        core.warning(`Kept ${data.kept.length} object(s) stage "${deployment.stage}" wrote but another stage or run rewrote since:\n` +
            data.kept.map((k) => `  ${k}`).join('\n'));
    }
}

;// CONCATENATED MODULE: ./src/modes/verify.ts
/**
 * mode: verify, the merge gate. The run must have SUCCEEDED (read back through the target's backend,
 * which waits for it if it still goes, with the same waiting code as `run`), and every expected output
 * must be proven written by THIS run: this run's records (what its groups wrote, src/verify/records.ts)
 * hold at least one object of it, and each such object is still the one the run wrote (its ETag, and
 * its version or Last-Modified). No clock window anywhere.
 */











async function verifyMode(ctx, backend) {
    const { inputs } = ctx;
    const chosen = backend ?? (await backendFor(ctx));
    const loaded = (0,common/* loadPlan */.Yq)(ctx);
    const { plan } = loaded;
    const { s3 } = ctx.aws();
    const reportFile = external_node_path_.join(ctx.workDir, 'verify-report.json');
    ctx.setOutput(outputs/* OUTPUT */.a.verified, 'false');
    ctx.setOutput(outputs/* OUTPUT */.a.report, reportFile);
    const run = await chosen.facts(ctx, loaded);
    ctx.setOutput(outputs/* OUTPUT */.a.status, run.status);
    let unchecked = [];
    const write = (checks, verdict) => (0,files/* writePrivateFile */.Pl)(reportFile, `${JSON.stringify({ run: run.source, runId: run.runId, status: run.status, startDate: run.startDate, verdict, outputs: checks, unchecked }, null, 2)}\n`);
    if (run.status !== 'SUCCEEDED') {
        write([], 'failed: the run did not succeed');
        await failRun(ctx, run, 'verify failed: ');
    }
    if (!(0,common/* sameParams */.xQ)(run.runtimeParams ?? {}, plan.runtime_params ?? {})) {
        throw new errors/* ActionError */.l(`verify cannot tell where this run wrote: the plan was exported with runtime params ${JSON.stringify(plan.runtime_params)} ` +
            `but the run used ${JSON.stringify(run.runtimeParams ?? {})}; give "package" the same "runtime-params" as "run"`);
    }
    const expected = (0,verify_expected/* expectedOutputs */.tu)(plan, run.runId, inputs.expect);
    unchecked = (0,verify_expected/* uncheckedOutputs */.DO)(plan, expected);
    if (unchecked.length) {
        core.info(`Not checked: ${unchecked.length} output(s) of pipeline "${plan.pipeline}"`);
        for (const u of unchecked)
            core.info(`  ${u.dataset}: ${u.reason}`);
    }
    const root = (0,verify_records/* recordsRoot */.xi)(plan, inputs.runRecords);
    const { project, stage } = loaded.deployment;
    core.info(`Checking ${expected.length} output(s) against the records of run ${run.runId} (${(0,verify_records/* recordsRootUrl */.sO)(root)})`);
    const checks = await proveOutputs(s3, { root, project, stage, runId: run.runId }, expected);
    for (const check of checks) {
        core.info(`  ${check.verdict === 'ok' ? 'ok' : check.verdict.toUpperCase()}  ${check.dataset}  ${check.url}  ${check.detail}`);
    }
    const bad = checks.filter((c) => c.verdict !== 'ok');
    write(checks, bad.length ? 'failed' : 'verified');
    await run.summary(checks, unchecked);
    if (bad.length) {
        throw new errors/* ActionError */.l(`verify failed: ${bad.length} of ${checks.length} output(s) of run ${run.runId} are not right:\n` +
            bad.map((c) => `- ${c.dataset} (${c.url}): ${c.verdict}, ${c.detail}`).join('\n'));
    }
    ctx.setOutput(outputs/* OUTPUT */.a.verified, 'true');
    core.info(`Verified: the run SUCCEEDED and all ${checks.length} output(s) were written by run ${run.runId}`);
}

;// CONCATENATED MODULE: ./src/modes/index.ts
/** The modes, in the one place that maps a mode's name to what it does, and the loop that runs them. */











const MODE_HANDLERS = {
    package: packageMode,
    build: async (ctx) => {
        const { inputs } = ctx;
        await buildMode(ctx, {
            ecrRepository: inputs.ecrRepository,
            createRepository: inputs.createRepository,
            builder: inputs.builder,
            platform: inputs.platform,
            registry: inputs.registry,
            dockerfile: inputs.dockerfile,
            baseImage: inputs.baseImage,
        });
    },
    deploy: deployMode,
    run: runMode,
    verify: verifyMode,
    teardown: teardownMode,
};
/**
 * Runs the modes of the inputs in order; with `export-credentials`, exports a fresh role session last.
 * Whatever fails, once `run` or `verify` is in the list the `verified` output is `false` before the step
 * fails (a failed run has written its summary and comment already: see failure.ts).
 */
async function runModes(inputs, env, clock) {
    const ctx = createContext(inputs, env, clock);
    try {
        for (const mode of inputs.modes) {
            core.startGroup(`kedro-aws: ${mode}`);
            try {
                await MODE_HANDLERS[mode](ctx);
            }
            finally {
                core.endGroup();
            }
        }
    }
    catch (error) {
        if (inputs.modes.includes('run') || inputs.modes.includes('verify'))
            ctx.setOutput(outputs/* OUTPUT */.a.verified, 'false');
        throw error;
    }
    finally {
        // Last, with a fresh session, so later steps get the whole role-duration-seconds (never renewed).
        const provider = inputs.exportCredentials ? ctx.credentials() : undefined;
        if (provider) {
            try {
                exportCredentials(await provider({ forceRefresh: true }), (0,config/* resolveRegion */.Zv)(inputs.awsRegion, env));
            }
            catch (e) {
                core.warning(`AWS credentials not exported to later steps: ${e.message}`);
            }
        }
    }
}


/***/ }),

/***/ 5911:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $: () => (/* binding */ queuePlatform)
/* harmony export */ });
/* unused harmony export BATCH_PLATFORMS */
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9516);
/**
 * The platform (EC2 or Fargate) of an AWS Batch job queue, from what DescribeJobQueues and
 * DescribeComputeEnvironments say. Apart from src/plan/batch.ts so that the AWS effects (and the post
 * step's bundle, which must not carry zod) reach it without the group settings' schema.
 *
 * Pure: no I/O.
 */

/** Where a queue's jobs run; a job definition's `platformCapabilities`. */
const BATCH_PLATFORMS = (/* unused pure expression or super */ null && (['EC2', 'FARGATE']));
/**
 * The platform of a job queue: from its `jobQueueType` when AWS gives it (ECS, ECS_FARGATE), else from
 * its compute environments (FARGATE and FARGATE_SPOT run on Fargate; EC2, SPOT and unmanaged ones on
 * EC2). An EKS queue, one that mixes the two, or one without compute environments is a problem to say.
 */
function queuePlatform(queue, jobQueueType, environments) {
    if (jobQueueType === 'ECS_FARGATE')
        return { platform: 'FARGATE', why: `job queue ${queue} is of type ECS_FARGATE` };
    if (jobQueueType === 'ECS')
        return { platform: 'EC2', why: `job queue ${queue} is of type ECS` };
    const eks = environments.filter((e) => e.orchestration === 'EKS').map((e) => e.name);
    if (jobQueueType === 'EKS' || eks.length > 0) {
        return {
            problem: `job queue ${queue} runs its jobs on Amazon EKS${eks.length ? ` (compute environment ${(0,_errors__WEBPACK_IMPORTED_MODULE_0__/* .quoteList */ .JN)(eks)})` : ''}, ` +
                'which needs a different kind of job definition; give an ECS job queue (EC2 or Fargate).',
        };
    }
    if (jobQueueType !== undefined && jobQueueType !== '') {
        return { problem: `job queue ${queue} is of type ${jobQueueType}; give an ECS job queue (EC2 or Fargate).` };
    }
    if (environments.length === 0) {
        return { problem: `job queue ${queue} has no compute environment, so no job of it can run; add one.` };
    }
    const described = environments.map((e) => `${e.name}: ${e.resourcesType ?? e.type ?? 'unknown'}`);
    const onFargate = environments.filter((e) => (e.resourcesType ?? '').startsWith('FARGATE'));
    if (onFargate.length === environments.length) {
        return { platform: 'FARGATE', why: `the compute environments of job queue ${queue} (${described.join(', ')})` };
    }
    if (onFargate.length === 0) {
        return { platform: 'EC2', why: `the compute environments of job queue ${queue} (${described.join(', ')})` };
    }
    return {
        problem: `job queue ${queue} mixes Fargate and EC2 compute environments (${described.join(', ')}), which AWS Batch ` +
            'does not allow; give a queue whose compute environments are all one or the other.',
    };
}


/***/ }),

/***/ 9319:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $6: () => (/* binding */ INFRASTRUCTURE_RETRY),
/* harmony export */   EZ: () => (/* binding */ tagValue),
/* harmony export */   F4: () => (/* binding */ submitJobRequest),
/* harmony export */   JZ: () => (/* binding */ groupJobParameters),
/* harmony export */   R2: () => (/* binding */ RUN_TAG),
/* harmony export */   TG: () => (/* binding */ GROUP_TAG),
/* harmony export */   Ty: () => (/* binding */ jobDefinitionSpec),
/* harmony export */   Wf: () => (/* binding */ batchSettingsProblems),
/* harmony export */   bT: () => (/* binding */ BATCH_ENTRY_MODULE),
/* harmony export */   ih: () => (/* binding */ jobDefinitionName),
/* harmony export */   kW: () => (/* binding */ BATCH_PYTHON),
/* harmony export */   mp: () => (/* binding */ buildJobGraph)
/* harmony export */ });
/* unused harmony exports MAX_DEPENDS_ON, MIN_ATTEMPT_SECONDS, MAX_ATTEMPTS, MAX_SUBMIT_PAYLOAD_BYTES, MAX_NODES_PARAMETER_BYTES, JOB_PARAMETERS, JOIN_RESOURCES, jobDefinitionResources, FARGATE_PLATFORM_VERSION, FARGATE_PAIRS_PAGE, fargatePairs, retryStrategy, resourceRequirements, jobDefinitionCommand, joinCommand */
/* harmony import */ var _environment__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2582);
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9516);
/* harmony import */ var _names__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2471);
/* harmony import */ var _settings__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3941);
/* harmony import */ var _batch_platform__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5911);




/** AWS Batch: the most jobs one job may depend on. */
const MAX_DEPENDS_ON = 20;
/** AWS Batch: the shortest job timeout (`attemptDurationSeconds`). */
const MIN_ATTEMPT_SECONDS = 60;
/** AWS Batch: the most attempts of one job. */
const MAX_ATTEMPTS = 10;
/** AWS Batch quota: the largest SubmitJob payload (parameters, overrides, tags, ...), in bytes. */
const MAX_SUBMIT_PAYLOAD_BYTES = 30 * 1024;
/** The node list of a namespace group is left out of its job (`--nodes []`) beyond this many bytes. */
const MAX_NODES_PARAMETER_BYTES = 8 * 1024;
/** The Python module the image runs for a job (shipped by the action, copied into the image). */
const BATCH_ENTRY_MODULE = 'kedro_aws_action.batch_entry';
/** The interpreter of the image. */
const BATCH_PYTHON = 'python3';
/** Batch parameters of a job, each filling a `Ref::<name>` of the job definition's command. */
const JOB_PARAMETERS = ['group', 'type', 'nodes', 'env', 'run_id', 'runtime_params', 'pipeline'];
/** The entry's option for each parameter (python/kedro_aws_action/batch_entry.py). */
const OPTION_OF = {
    group: '--group',
    type: '--type',
    nodes: '--nodes',
    env: '--env',
    run_id: '--run-id',
    runtime_params: '--runtime-params-json',
    pipeline: '--pipeline',
};

/** Resources of a join job: it starts a Python interpreter that exits at once (the least each platform gives). */
const JOIN_RESOURCES = { vcpus: 1, memoryMb: 256, timeoutSeconds: 300, attempts: 3 };
const JOIN_RESOURCES_OF = {
    EC2: { vcpus: JOIN_RESOURCES.vcpus, memoryMb: JOIN_RESOURCES.memoryMb },
    FARGATE: { vcpus: 0.25, memoryMb: 512 },
};
/**
 * The resources of the job definition itself (every job overrides them with its group's): the
 * built-in defaults, with on Fargate the least memory Fargate gives the built-in vCPUs.
 */
function jobDefinitionResources(platform) {
    const vcpus = _settings__WEBPACK_IMPORTED_MODULE_2__/* .BUILT_IN_DEFAULTS */ .K1.vcpus;
    if (platform === 'EC2')
        return { vcpus, memoryMb: _settings__WEBPACK_IMPORTED_MODULE_2__/* .BUILT_IN_DEFAULTS */ .K1.memory_mb };
    const memory = _settings__WEBPACK_IMPORTED_MODULE_2__/* .FARGATE_RESOURCES */ .LE.get(vcpus) ?? [];
    return { vcpus, memoryMb: memory.find((m) => m >= _settings__WEBPACK_IMPORTED_MODULE_2__/* .BUILT_IN_DEFAULTS */ .K1.memory_mb) ?? memory[0] };
}
/** The Fargate platform version of the job definitions (Batch's default when none is given). */
const FARGATE_PLATFORM_VERSION = 'LATEST';
/** Where the pairs come from, for messages. */
const FARGATE_PAIRS_PAGE = 'https://docs.aws.amazon.com/batch/latest/APIReference/API_ResourceRequirement.html';
/** `2048 to 8192 MiB in steps of 1024`, or the values themselves when they are not evenly spaced. */
function memoryRange(values) {
    const step = (values[1] ?? 0) - (values[0] ?? 0);
    const even = values.length > 3 && values.every((v, i) => i === 0 || v - values[i - 1] === step);
    if (even)
        return `${values[0]} to ${values.at(-1)} MiB in steps of ${step}`;
    return `${values.slice(0, -1).join(', ')} or ${values.at(-1)} MiB`;
}
/** Every vCPU and memory pair Fargate accepts, in one line. */
function fargatePairs() {
    return [..._settings__WEBPACK_IMPORTED_MODULE_2__/* .FARGATE_RESOURCES */ .LE].map(([vcpus, memory]) => `${vcpus} vCPU: ${memoryRange(memory)}`).join('; ');
}
/**
 * When a failed attempt is retried (up to the group's `retries`): only when the infrastructure
 * failed it. The entries are AWS's documented status reasons: the EC2 instance was terminated or
 * reclaimed (`Host EC2 (instance i-...) terminated.`), the container agent failed (`AGENT`), the
 * task or the container could not start. Everything else (the group's own non-zero exit, a timeout)
 * ends the job. Evaluated in order; at most 5 entries.
 */
const INFRASTRUCTURE_RETRY = [
    { action: 'RETRY', onStatusReason: 'Host EC2*' },
    { action: 'RETRY', onReason: 'AGENT' },
    { action: 'RETRY', onStatusReason: 'Task failed to start' },
    { action: 'RETRY', onReason: 'CannotStartContainerError*' },
    { action: 'EXIT', onReason: '*' },
];
function retryStrategy(attempts) {
    return { attempts, evaluateOnExit: INFRASTRUCTURE_RETRY };
}
function resourceRequirements(vcpus, memoryMb) {
    return [
        { type: 'VCPU', value: String(vcpus) },
        { type: 'MEMORY', value: String(memoryMb) },
    ];
}
// ---------------------------------------------------------------------------------------------
// The job definition.
/** The container command of the job definition: the entry, every value a Batch parameter reference. */
function jobDefinitionCommand() {
    return [BATCH_PYTHON, '-m', BATCH_ENTRY_MODULE, ...JOB_PARAMETERS.flatMap((p) => [OPTION_OF[p], `Ref::${p}`])];
}
/** The command of a join job (overrides the job definition's). */
function joinCommand(name) {
    return [BATCH_PYTHON, '-m', BATCH_ENTRY_MODULE, '--join', name];
}
/** What sets the Fargate job definition's name apart: `_` cannot appear in a stage, so no stage's EC2 name has it. */
const FARGATE_SUFFIX = '_fargate';
/**
 * The name of the stage's job definition for a platform (≤ 128): `<project>-<stage>` on EC2,
 * `<project>-<stage>_fargate` on Fargate (one job definition per platform per stage).
 */
function jobDefinitionName(plan, platform = 'EC2') {
    const base = (0,_names__WEBPACK_IMPORTED_MODULE_1__/* .awsName */ .py)('jobDefinition', [plan.project, plan.stage]);
    if (platform === 'EC2')
        return base;
    if (base.length + FARGATE_SUFFIX.length <= 128)
        return `${base}${FARGATE_SUFFIX}`;
    return (0,_names__WEBPACK_IMPORTED_MODULE_1__/* .awsName */ .py)('jobDefinition', [plan.project, plan.stage, FARGATE_SUFFIX], { forceHash: true });
}
/**
 * The job definition of a stage for a platform: the image, the entry's command, the roles, the
 * environment, and the built-in defaults of the settings (every job overrides them with its group's);
 * on Fargate also the network configuration, the platform version and the runtime platform (the image's
 * CPU architecture: Fargate runs X86_64 when a job definition does not say; an EC2 job runs on its
 * instance's architecture, so an EC2 job definition names none).
 */
function jobDefinitionSpec(plan, options) {
    const platform = options.platform ?? 'EC2';
    if (platform === 'FARGATE' && !options.executionRoleArn) {
        throw new Error('internal: a Fargate job definition needs an execution role');
    }
    const environment = (0,_environment__WEBPACK_IMPORTED_MODULE_4__/* .groupEnvironment */ .bj)({
        packageName: options.packageName,
        env: plan.env,
        recordsUrl: options.recordsUrl,
    });
    const resources = jobDefinitionResources(platform);
    return {
        jobDefinitionName: jobDefinitionName(plan, platform),
        type: 'container',
        platformCapabilities: [platform],
        parameters: { nodes: '[]', runtime_params: '{}', pipeline: plan.pipeline, env: plan.env },
        containerProperties: {
            image: options.imageUri,
            command: jobDefinitionCommand(),
            jobRoleArn: options.jobRoleArn,
            ...(options.executionRoleArn ? { executionRoleArn: options.executionRoleArn } : {}),
            environment: Object.entries(environment).map(([name, value]) => ({ name, value })),
            resourceRequirements: resourceRequirements(resources.vcpus, resources.memoryMb),
            ...(platform === 'FARGATE'
                ? {
                    networkConfiguration: { assignPublicIp: options.assignPublicIp ? 'ENABLED' : 'DISABLED' },
                    fargatePlatformConfiguration: { platformVersion: FARGATE_PLATFORM_VERSION },
                    runtimePlatform: { cpuArchitecture: options.cpuArchitecture ?? 'X86_64', operatingSystemFamily: 'LINUX' },
                }
                : {}),
        },
        retryStrategy: retryStrategy(_settings__WEBPACK_IMPORTED_MODULE_2__/* .BUILT_IN_DEFAULTS */ .K1.retries + 1),
        timeout: { attemptDurationSeconds: _settings__WEBPACK_IMPORTED_MODULE_2__/* .BUILT_IN_DEFAULTS */ .K1.timeout_seconds },
        tags: { ...options.tags },
    };
}
/** Why the groups' vCPUs and memory cannot run on the platform, one sentence per cause. */
function platformProblems(groups, choice) {
    const failures = [];
    const on = `on ${choice.platform} (${choice.why})`;
    for (const g of groups) {
        const s = g.settings;
        const from = (key) => (0,_settings__WEBPACK_IMPORTED_MODULE_2__/* .describeOrigin */ .uN)(g.settingOrigins[key]);
        if (choice.platform === 'EC2') {
            if (!Number.isInteger(s.vcpus) || s.vcpus < _settings__WEBPACK_IMPORTED_MODULE_2__/* .LIMITS */ .b1.batch.ec2VcpusMin) {
                failures.push({
                    group: g.name,
                    cause: `vcpus ${s.vcpus} (from ${from('vcpus')}) is not a whole number of at least ${_settings__WEBPACK_IMPORTED_MODULE_2__/* .LIMITS */ .b1.batch.ec2VcpusMin}, ` +
                        `which AWS Batch needs ${on}; give whole vCPUs, or use a Fargate job queue for fractions of one.`,
                });
            }
            continue;
        }
        const memory = _settings__WEBPACK_IMPORTED_MODULE_2__/* .FARGATE_RESOURCES */ .LE.get(s.vcpus);
        if (!memory) {
            failures.push({
                group: g.name,
                cause: `vcpus ${s.vcpus} (from ${from('vcpus')}) is not a vCPU value Fargate accepts ${on}: ` +
                    `give one of ${[..._settings__WEBPACK_IMPORTED_MODULE_2__/* .FARGATE_RESOURCES */ .LE.keys()].join(', ')}.`,
            });
        }
        else if (!memory.includes(s.memory_mb)) {
            const fits = [..._settings__WEBPACK_IMPORTED_MODULE_2__/* .FARGATE_RESOURCES */ .LE].filter(([, m]) => m.includes(s.memory_mb)).map(([v]) => v);
            failures.push({
                group: g.name,
                cause: `memory_mb ${s.memory_mb} (from ${from('memory_mb')}) with vcpus ${s.vcpus} (from ${from('vcpus')}) is ` +
                    `not a vCPU and memory pair Fargate accepts ${on}: with ${s.vcpus} vCPU Fargate takes ${memoryRange(memory)}` +
                    (fits.length ? `, and ${s.memory_mb} MiB goes with vcpus ${fits.join(' or ')}` : '') +
                    '; set memory_mb (or vcpus) to a pair of the list below.',
            });
        }
    }
    const byCause = new Map();
    for (const f of failures)
        byCause.set(f.cause, [...(byCause.get(f.cause) ?? []), f.group]);
    const problems = [...byCause].map(([cause, names]) => {
        const shown = names.length <= 6
            ? (0,_errors__WEBPACK_IMPORTED_MODULE_0__/* .quoteList */ .JN)(names)
            : `${names
                .slice(0, 6)
                .map((n) => (0,_errors__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(n))
                .join(', ')} and ${names.length - 6} more`;
        return `${names.length === 1 ? 'group' : 'groups'} ${shown}: ${cause}`;
    });
    if (choice.platform === 'FARGATE' && problems.length > 0) {
        problems.push(`The vCPU and memory pairs Fargate accepts (${FARGATE_PAIRS_PAGE}): ${fargatePairs()}.`);
    }
    return problems;
}
/**
 * Why a group's settings cannot run on Batch, one sentence each (empty when they can). With the
 * platform of the job queue, also whether its vCPUs and memory suit that platform.
 */
function batchSettingsProblems(groups, platform) {
    const problems = [];
    const target = 'with target batch (every group runs as a Batch job, whatever its `compute`)';
    for (const g of groups) {
        const s = g.settings;
        const from = (key) => (0,_settings__WEBPACK_IMPORTED_MODULE_2__/* .describeOrigin */ .uN)(g.settingOrigins[key]);
        if (s.compute === 'sagemaker') {
            problems.push(`group ${(0,_errors__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(g.name)}: compute sagemaker (from ${from('compute')}) runs a SageMaker job from the Step ` +
                'Functions state machine, which target batch does not have; use target step-functions (its groups may ' +
                'say compute: batch too), or another compute for this group.');
            continue;
        }
        if (s.timeout_seconds < MIN_ATTEMPT_SECONDS) {
            problems.push(`group ${(0,_errors__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(g.name)}: timeout_seconds ${s.timeout_seconds} (from ${from('timeout_seconds')}) is below the ` +
                `AWS Batch minimum job timeout (attemptDurationSeconds) of ${MIN_ATTEMPT_SECONDS} seconds ${target}; raise it.`);
        }
        if (s.retries < 0 || s.retries > MAX_ATTEMPTS - 1) {
            problems.push(`group ${(0,_errors__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(g.name)}: retries ${s.retries} (from ${from('retries')}) is outside 0 to ${MAX_ATTEMPTS - 1} ` +
                `${target}: AWS Batch runs a job at most ${MAX_ATTEMPTS} times (attempts = retries + 1).`);
        }
        if (s.memory_mb < _settings__WEBPACK_IMPORTED_MODULE_2__/* .LIMITS */ .b1.batch.memoryMinMb) {
            problems.push(`group ${(0,_errors__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(g.name)}: memory_mb ${s.memory_mb} (from ${from('memory_mb')}) is below the AWS Batch minimum ` +
                `of ${_settings__WEBPACK_IMPORTED_MODULE_2__/* .LIMITS */ .b1.batch.memoryMinMb} MiB ${target}; raise it.`);
        }
    }
    if (platform)
        problems.push(...platformProblems(groups, platform));
    return problems;
}
/** The nodes parameter of a group: its node list, left out of a long namespace group. */
function nodesParameter(group) {
    const json = JSON.stringify(group.nodes);
    if (group.type === 'namespace' && Buffer.byteLength(json, 'utf8') > MAX_NODES_PARAMETER_BYTES)
        return '[]';
    return json;
}
/** The Batch parameters of a group's job fixed by the plan (a run adds `run_id` and `runtime_params`). */
function groupJobParameters(group, env, pipeline) {
    return { group: group.name, type: group.type, nodes: nodesParameter(group), env, pipeline };
}
/**
 * The jobs of a run of `plan` on a job queue's platform: one per group, in the plan's dependency
 * order, with joins where a group has more than {@link MAX_DEPENDS_ON} (reduced) dependencies. Without
 * `platform`, the jobs are checked only against what every platform refuses and joins get EC2's
 * resources (enough for a graph that is only waited for).
 *
 * @throws PlanningError for settings Batch refuses (a timeout under 60 s, more than 9 retries, vCPUs
 * and memory the platform does not take).
 */
function buildJobGraph(plan, platform) {
    const problems = batchSettingsProblems(plan.groups, platform);
    if (problems.length > 0)
        throw new _errors__WEBPACK_IMPORTED_MODULE_0__/* .PlanningError */ .yL(problems);
    const joinResources = JOIN_RESOURCES_OF[platform?.platform ?? 'EC2'];
    const jobs = [];
    const groupJob = new Map();
    const joinOf = new Map();
    let joins = 0;
    const waitsForOf = (members) => {
        const names = new Set();
        for (const m of members) {
            const job = jobs[m];
            if (job.kind === 'group')
                names.add(job.group);
            for (const n of job.waitsFor)
                names.add(n);
        }
        return [...names].sort();
    };
    const join = (members) => {
        const key = members.join(',');
        const known = joinOf.get(key);
        if (known !== undefined)
            return known;
        joins += 1;
        const jobName = (0,_names__WEBPACK_IMPORTED_MODULE_1__/* .awsName */ .py)('batchJob', [plan.project, plan.stage, 'join', String(joins)]);
        const index = jobs.length;
        jobs.push({
            index,
            kind: 'join',
            group: undefined,
            jobName,
            dependsOn: [...members],
            waitsFor: waitsForOf(members),
            parameters: undefined,
            command: joinCommand(jobName),
            resourceRequirements: resourceRequirements(joinResources.vcpus, joinResources.memoryMb),
            attemptDurationSeconds: JOIN_RESOURCES.timeoutSeconds,
            retryStrategy: retryStrategy(JOIN_RESOURCES.attempts),
        });
        joinOf.set(key, index);
        return index;
    };
    /**
     * At most MAX_DEPENDS_ON jobs standing for `members`: the first members are gathered into joins of
     * up to 20 (each saves up to 19 edges, so this uses the fewest joins), the joins queued behind the
     * rest, until at most 20 remain.
     */
    const fanIn = (members) => {
        const queue = [...members].sort((a, b) => a - b);
        while (queue.length > MAX_DEPENDS_ON) {
            const take = Math.min(MAX_DEPENDS_ON, queue.length - MAX_DEPENDS_ON + 1);
            queue.push(join(queue.splice(0, take)));
        }
        return queue;
    };
    for (const group of plan.groups) {
        const deps = group.reducedDependencies.map((d) => {
            const index = groupJob.get(d);
            if (index === undefined)
                throw new Error(`internal: group ${d} has no job before ${group.name}`);
            return index;
        });
        const dependsOn = fanIn(deps);
        const index = jobs.length;
        const s = group.settings;
        jobs.push({
            index,
            kind: 'group',
            group: group.name,
            jobName: group.names.batchJob,
            dependsOn,
            waitsFor: waitsForOf(dependsOn),
            parameters: groupJobParameters(group, plan.env, plan.pipeline),
            command: undefined,
            resourceRequirements: resourceRequirements(s.vcpus, s.memory_mb),
            attemptDurationSeconds: s.timeout_seconds,
            retryStrategy: retryStrategy(s.retries + 1),
        });
        groupJob.set(group.name, index);
    }
    return { jobs, groupJob, joins };
}
/** Tag keys a job carries besides the stage's. */
const RUN_TAG = 'kedro-aws:run-id';
const GROUP_TAG = 'kedro-aws:group';
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;
/** A tag value AWS accepts: the value itself when it can be one, else `fallback`. */
function tagValue(value, fallback) {
    return TAG_VALUE.test(value) ? value : fallback;
}
/**
 * The SubmitJob request of `job` in a run, given the ids of the jobs submitted before it.
 *
 * @throws PlanningError when the request would pass Batch's 30 KiB payload quota (large runtime params).
 */
function submitJobRequest(job, run, jobIds) {
    const dependsOn = job.dependsOn.map((i) => {
        const jobId = jobIds[i];
        if (jobId === undefined)
            throw new Error(`internal: job ${i} was not submitted before job ${job.index}`);
        return { jobId };
    });
    const tags = {
        ...run.tags,
        [RUN_TAG]: tagValue(run.runId, 'invalid'),
        [GROUP_TAG]: job.kind === 'group' ? tagValue(job.group, job.jobName) : 'join',
    };
    const request = {
        jobName: job.jobName,
        jobQueue: run.jobQueue,
        jobDefinition: run.jobDefinition,
        dependsOn,
        ...(job.parameters
            ? { parameters: { ...job.parameters, run_id: run.runId, runtime_params: JSON.stringify(run.runtimeParams) } }
            : {}),
        containerOverrides: {
            resourceRequirements: job.resourceRequirements,
            ...(job.command ? { command: job.command } : {}),
        },
        timeout: { attemptDurationSeconds: job.attemptDurationSeconds },
        retryStrategy: job.retryStrategy,
        tags,
    };
    const bytes = Buffer.byteLength(JSON.stringify(request), 'utf8');
    if (bytes > MAX_SUBMIT_PAYLOAD_BYTES) {
        throw new _errors__WEBPACK_IMPORTED_MODULE_0__/* .PlanningError */ .yL([
            `the Batch job of ${job.group === undefined ? `join ${(0,_errors__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(job.jobName)}` : `group ${(0,_errors__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(job.group)}`} would be ` +
                `${bytes.toLocaleString('en-US')} bytes to submit, over the AWS Batch limit of ` +
                `${MAX_SUBMIT_PAYLOAD_BYTES.toLocaleString('en-US')} bytes per job; give fewer or shorter runtime params.`,
        ]);
    }
    return request;
}


/***/ }),

/***/ 2582:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   H3: () => (/* binding */ RECORDS_ENV),
/* harmony export */   Uw: () => (/* binding */ RELEASE_ENV),
/* harmony export */   bj: () => (/* binding */ groupEnvironment)
/* harmony export */ });
/**
 * The environment every group's process gets, whatever runs it (a Lambda function, a Batch job, the
 * local executor): the project's package, the conf env, and where the stage's run records go. Pure.
 */
/** The variable that tells a group where its stage's run records are (`s3://bucket/<prefix>/<project>/<stage>/`). */
const RECORDS_ENV = 'KEDRO_AWS_RUN_RECORDS';
/**
 * Schedule `exact`, a Batch group: the gated groups it releases when it ends (a JSON list of group
 * names), set on its job by the state machine (a Lambda group gets the list in its event, `release`).
 */
const RELEASE_ENV = 'KEDRO_AWS_RELEASE';
function groupEnvironment(options) {
    return {
        KEDRO_PACKAGE_NAME: options.packageName,
        KEDRO_ENV: options.env,
        KEDRO_DISABLE_TELEMETRY: 'true',
        [RECORDS_ENV]: options.recordsUrl,
    };
}


/***/ }),

/***/ 3715:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  G: () => (/* binding */ buildPlan)
});

// UNUSED EXPORTS: PlanningError

// EXTERNAL MODULE: ./src/plan/errors.ts
var errors = __webpack_require__(9516);
;// CONCATENATED MODULE: ./src/plan/graph.ts
/**
 * The group DAG: which Kedro group waits for which.
 *
 * An edge goes from a group to each of its `dependencies` (the groups whose outputs it reads), as
 * `Pipeline.group_nodes_by("namespace")` reports them. Every function here is deterministic: names
 * are compared by UTF-16 code units (`<`), never by locale, so the same plan gives the same order on
 * every machine.
 *
 * Pure: no I/O.
 */

/** Sort strings by code units: locale-independent, so deterministic everywhere. */
function byName(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
function sortedUnique(values) {
    return [...new Set(values)].sort(byName);
}
/**
 * Problems that make the groups not a graph at all: a name used by two groups, or a dependency that
 * names no group. Empty when the groups are well-formed (a cycle is checked separately).
 */
function dependencyProblems(groups) {
    const problems = [];
    const names = groups.map((g) => g.name);
    const known = new Set(names);
    const duplicates = sortedUnique(names.filter((n, i) => names.indexOf(n) !== i));
    if (duplicates.length > 0) {
        problems.push(`the plan has more than one group named ${(0,errors/* quoteList */.JN)(duplicates)}; group names must be unique.`);
    }
    const real = sortedUnique(names);
    for (const group of groups) {
        const missing = sortedUnique(group.dependencies.filter((d) => !known.has(d)));
        for (const dep of missing) {
            problems.push(`group ${(0,errors/* quote */.hD)(group.name)} depends on ${(0,errors/* quote */.hD)(dep)}, which is not a group of this pipeline ` +
                `(the groups are ${(0,errors/* quoteList */.JN)(real)}).`);
        }
    }
    return problems;
}
/**
 * Build the adjacency of the groups.
 *
 * @throws PlanningError listing every {@link dependencyProblems} problem.
 */
function buildGraph(groups) {
    const problems = dependencyProblems(groups);
    if (problems.length > 0)
        throw new errors/* PlanningError */.yL(problems);
    const names = sortedUnique(groups.map((g) => g.name));
    const dependencies = new Map();
    const dependents = new Map(names.map((n) => [n, []]));
    for (const group of groups) {
        const deps = sortedUnique(group.dependencies);
        dependencies.set(group.name, deps);
        for (const dep of deps)
            dependents.get(dep)?.push(group.name);
    }
    for (const list of dependents.values())
        list.sort(byName);
    return { names, dependencies, dependents };
}
function depsOf(graph, name) {
    return graph.dependencies.get(name) ?? [];
}
/**
 * A cycle in the graph, or null when there is none.
 *
 * The cycle is returned as the groups on it, each depending on the next and the last on the first
 * (`['a', 'b']`: `a` depends on `b`, which depends on `a`; a group depending on itself gives `['a']`).
 * The search visits groups and dependencies in name order, so the same graph gives the same cycle.
 */
function findCycle(graph) {
    const state = new Map();
    for (const start of graph.names) {
        if (state.has(start))
            continue;
        // Iterative depth-first search; `path` is the chain of open groups.
        const path = [start];
        const next = [0];
        state.set(start, 'open');
        while (path.length > 0) {
            const top = path.length - 1;
            const node = path[top];
            const deps = depsOf(graph, node);
            const index = next[top];
            if (index >= deps.length) {
                state.set(node, 'done');
                path.pop();
                next.pop();
                continue;
            }
            next[top] = index + 1;
            const dep = deps[index];
            const seen = state.get(dep);
            if (seen === 'open')
                return path.slice(path.indexOf(dep));
            if (seen === undefined) {
                state.set(dep, 'open');
                path.push(dep);
                next.push(0);
            }
        }
    }
    return null;
}
/** A sentence naming the groups on a cycle, for a {@link PlanningError}. */
function cycleProblem(cycle) {
    const first = cycle[0] ?? '';
    if (cycle.length <= 1)
        return `group ${(0,errors/* quote */.hD)(first)} depends on itself.`;
    const chain = [...cycle, first].map((g) => (0,errors/* quote */.hD)(g)).join(' → ');
    return (`the groups ${(0,errors/* quoteList */.JN)([...cycle])} depend on each other in a cycle (${chain}, each depending on the next); ` +
        'Step Functions and Batch need an order, so break the cycle in the pipeline.');
}
/**
 * Every group after all of its dependencies; among groups that are ready at the same time, the
 * smaller name first (Kahn's algorithm with a name-ordered ready list).
 *
 * @throws PlanningError naming the groups on a cycle.
 */
function topologicalOrder(graph) {
    const waiting = new Map(graph.names.map((n) => [n, depsOf(graph, n).length]));
    const ready = graph.names.filter((n) => waiting.get(n) === 0);
    const order = [];
    while (ready.length > 0) {
        const name = ready.shift();
        order.push(name);
        for (const dependent of graph.dependents.get(name) ?? []) {
            const left = (waiting.get(dependent) ?? 0) - 1;
            waiting.set(dependent, left);
            if (left === 0)
                insertSorted(ready, dependent);
        }
    }
    if (order.length < graph.names.length) {
        throw new errors/* PlanningError */.yL([cycleProblem(findCycle(graph) ?? graph.names.filter((n) => !order.includes(n)))]);
    }
    return order;
}
function insertSorted(list, value) {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (list[mid] < value)
            lo = mid + 1;
        else
            hi = mid;
    }
    list.splice(lo, 0, value);
}
/**
 * Groups by dependency level, as the Kedro deployment guides chain them: level 0 holds the groups
 * with no dependencies, level k the groups whose deepest dependency is at level k-1. Each level is
 * sorted by name.
 *
 * @throws PlanningError naming the groups on a cycle.
 */
function dependencyLevels(graph) {
    const level = new Map();
    for (const name of topologicalOrder(graph)) {
        const deps = depsOf(graph, name);
        level.set(name, deps.length === 0 ? 0 : 1 + Math.max(...deps.map((d) => level.get(d) ?? 0)));
    }
    const levels = [];
    for (const name of graph.names) {
        const k = level.get(name) ?? 0;
        while (levels.length <= k)
            levels.push([]);
        levels[k].push(name);
    }
    return levels;
}
/**
 * Every group's transitive dependencies (everything it must wait for, directly or not).
 *
 * @throws PlanningError naming the groups on a cycle.
 */
function ancestors(graph) {
    const result = new Map();
    for (const name of topologicalOrder(graph)) {
        const all = new Set();
        for (const dep of depsOf(graph, name)) {
            all.add(dep);
            for (const further of result.get(dep) ?? [])
                all.add(further);
        }
        result.set(name, all);
    }
    return result;
}
/**
 * The transitive reduction: for each group, only the dependencies that are not already implied by
 * another of its dependencies (if `c` depends on `a` and `b`, and `b` on `a`, `c` keeps only `b`).
 * For a DAG this is the unique smallest edge set with the same reachability. Lists are sorted.
 *
 * @throws PlanningError naming the groups on a cycle.
 */
function transitiveReduction(graph) {
    const reach = ancestors(graph);
    const reduced = new Map();
    for (const name of graph.names) {
        const deps = depsOf(graph, name);
        reduced.set(name, deps.filter((dep) => !deps.some((other) => other !== dep && (reach.get(other)?.has(dep) ?? false))));
    }
    return reduced;
}

// EXTERNAL MODULE: ./src/plan/names.ts
var names = __webpack_require__(2471);
// EXTERNAL MODULE: ./src/plan/sagemaker.ts
var sagemaker = __webpack_require__(6183);
// EXTERNAL MODULE: ./src/plan/settings.ts + 1 modules
var plan_settings = __webpack_require__(3941);
;// CONCATENATED MODULE: ./src/plan/planner.ts
/**
 * plan.json → the deployment plan: groups in dependency order, their reduced dependencies, their
 * AWS names and their merged settings. Everything the effects need to create resources, decided
 * here without any I/O.
 *
 * All problems with the input (stage, dependency graph, settings) are collected and thrown together
 * as one {@link PlanningError}.
 */






/**
 * Decide the deployment for a validated plan.
 *
 * @throws PlanningError listing every problem: a stage with no letters or digits, a dependency on a
 *   missing group, a cycle, bad or out-of-limit settings, a settings entry for an unknown group.
 */
function buildPlan(plan, options) {
    const problems = [];
    let stage = '';
    try {
        stage = (0,names/* cleanStage */.G8)(options.stage);
    }
    catch (error) {
        if (!(error instanceof errors/* PlanningError */.yL))
            throw error;
        problems.push(...error.problems);
    }
    const graphProblems = dependencyProblems(plan.groups);
    problems.push(...graphProblems);
    const graph = graphProblems.length === 0 ? buildGraph(plan.groups) : null;
    const cycle = graph ? findCycle(graph) : null;
    if (cycle)
        problems.push(cycleProblem(cycle));
    const groupNames = plan.groups.map((g) => g.name);
    const settings = (0,plan_settings/* resolveSettings */.Mo)(groupNames, { value: plan.settings, label: (0,plan_settings/* settingsFileLabel */.Qt)(plan.env) }, options.groupSettings === undefined
        ? undefined
        : { value: options.groupSettings, label: plan_settings/* GROUP_SETTINGS_INPUT_LABEL */.yN });
    if (!settings.ok)
        problems.push(...settings.problems);
    if (problems.length > 0 || !graph || !settings.ok)
        throw new errors/* PlanningError */.yL(problems);
    const project = options.project?.trim() || plan.project.package_name;
    const prefix = [project, stage];
    const lambdaNames = (0,names/* awsNameSet */.zW)('lambda', prefix, groupNames);
    const stateNames = (0,names/* awsNameSet */.zW)('state', [], groupNames);
    const jobNames = (0,names/* awsNameSet */.zW)('batchJob', prefix, groupNames);
    const jobDefinitionNames = (0,names/* awsNameSet */.zW)('jobDefinition', prefix, groupNames);
    // SageMaker job names must start with the whole project name (the IAM policies match it).
    const sagemakerPrefixes = new Map();
    for (const name of groupNames) {
        if (settings.groups.get(name)?.settings.compute === 'sagemaker') {
            sagemakerPrefixes.set(name, (0,names/* sagemakerJobPrefix */.a9)(project, stage, name));
        }
    }
    const order = topologicalOrder(graph);
    const levels = dependencyLevels(graph);
    const levelOf = new Map(levels.flatMap((names, k) => names.map((n) => [n, k])));
    const reduced = transitiveReduction(graph);
    const byName = new Map(plan.groups.map((g) => [g.name, g]));
    const groups = order.map((name) => {
        const group = byName.get(name);
        const resolved = settings.groups.get(name);
        if (!group || !resolved)
            throw new Error(`internal: group ${name} lost during planning`);
        return {
            name,
            type: group.type,
            nodes: [...group.nodes],
            dependencies: [...(graph.dependencies.get(name) ?? [])],
            reducedDependencies: reduced.get(name) ?? [],
            level: levelOf.get(name) ?? 0,
            names: {
                lambdaFunction: lambdaNames.get(name) ?? '',
                state: stateNames.get(name) ?? '',
                batchJob: jobNames.get(name) ?? '',
                jobDefinition: jobDefinitionNames.get(name) ?? '',
                sagemakerJob: sagemakerPrefixes.get(name) ?? '',
            },
            settings: resolved.settings,
            settingOrigins: resolved.origins,
        };
    });
    const sagemakerProblems = (0,sagemaker/* sagemakerPlanProblems */.GI)(plan, groups);
    if (sagemakerProblems.length > 0)
        throw new errors/* PlanningError */.yL(sagemakerProblems);
    return {
        project,
        stage,
        env: plan.env,
        pipeline: plan.pipeline,
        names: { stateMachine: (0,names/* awsName */.py)('stateMachine', prefix) },
        groups,
        levels,
    };
}


/***/ }),

/***/ 6183:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CT: () => (/* binding */ trainingJobParameters),
/* harmony export */   GI: () => (/* binding */ sagemakerPlanProblems),
/* harmony export */   KX: () => (/* binding */ sagemakerTaskTimeoutSeconds),
/* harmony export */   kf: () => (/* binding */ FAILURE_FILE_ENV),
/* harmony export */   xb: () => (/* binding */ SAGEMAKER_TRAINING_RESOURCE)
/* harmony export */ });
/* unused harmony exports SAGEMAKER_TASK_START_SECONDS, MAX_CONTAINER_STRING, MAX_ENVIRONMENT_VALUE, MAX_ENVIRONMENT_ENTRIES, SAGEMAKER_FAILURE_FILE, entrypointOf, RUN_ARGUMENTS, trainingJobNameExpression */
/* harmony import */ var _batch__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9319);
/* harmony import */ var _environment__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2582);
/* harmony import */ var _errors__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9516);
/**
 * SageMaker groups: a group with `compute: sagemaker` runs as a SageMaker training job inside the
 * state machine (`sagemaker:createTrainingJob.sync`: Step Functions creates the job and waits for its
 * end), on an ML instance of the group's type (GPU ones included), for up to 28 days.
 *
 * Why training jobs and not processing jobs: both run a container of our image with our entry point
 * and arguments, but only training jobs have managed spot capacity (`spot: true`), a 28-day limit
 * (processing jobs: 9 days; Lambda: 15 minutes), and SageMaker's own retry of a job its
 * infrastructure failed (RetryStrategy). A group's data goes through the Kedro catalog, so the job
 * declares no input channels; the model folder SageMaker uploads at the end stays empty.
 *
 * The job runs the very image of the Lambda groups, its entry point overridden to the group entry
 * (python/kedro_aws_action/batch_entry.py, as a Batch group's job runs it): `ContainerEntrypoint` holds
 * the interpreter, the module and the group's fixed arguments (the same options a Batch job gets),
 * `ContainerArguments` the run's own, `--run-id` and `--runtime-params-json` read from the execution
 * input. The environment is a Lambda group's (environment.ts) plus the image's import path, so the
 * group's run record is written by the same runtime as any other group's.
 *
 * Names. SageMaker never reuses a training job name in an account and region. Each job is named
 * `<prefix>-<UUID>`: the group's fixed prefix (names.ts, ≤ 26 characters, starting with the project
 * name the IAM policies match) and a UUID Step Functions draws when it enters the state
 * (`States.UUID()`), so that a redriven execution creates a new job instead of failing on the name of
 * the first one. (An MD5 of the execution's ARN would be reproducible, but the local executor's
 * interpreter, aws-local-stepfunctions 3.0.0, hashes inputs over 55 bytes wrongly and then gives
 * equal names to different runs; test/unit/statemachine.sagemaker.test.ts shows it.) The run and the
 * group are in the job's tags, and each job's name in the execution's history.
 *
 * Limits relied on (SageMaker API reference, CreateTrainingJob): TrainingJobName ≤ 63 characters of
 * `[a-zA-Z0-9](-*[a-zA-Z0-9])*`; ContainerEntrypoint and ContainerArguments at most 100 strings of at
 * most 256 characters; Environment at most 100 variables, values at most 512 characters; at most 50
 * tags, values of `[\p{L}\p{Z}\p{N}_.:/=+\-@]` up to 256 characters; MaxRuntimeInSeconds at most 28
 * days (settings.ts). State machine permissions: https://docs.aws.amazon.com/step-functions/latest/dg/sagemaker-iam.html
 *
 * Pure: no I/O.
 */



/** Service integration of a SageMaker group: create the training job and wait for its end. */
const SAGEMAKER_TRAINING_RESOURCE = 'arn:aws:states:::sagemaker:createTrainingJob.sync';
/**
 * Seconds a SageMaker Task waits beyond the job's own limit (its max runtime, or with spot its max
 * wait): launching the instance and pulling the image, before the job's clock runs. Past it the Task
 * fails with `States.Timeout` and Step Functions stops the job.
 */
const SAGEMAKER_TASK_START_SECONDS = 3600;
/** CreateTrainingJob: each ContainerEntrypoint and ContainerArguments string. */
const MAX_CONTAINER_STRING = 256;
/** CreateTrainingJob: Environment values. */
const MAX_ENVIRONMENT_VALUE = 512;
/** CreateTrainingJob: Environment variables. */
const MAX_ENVIRONMENT_ENTRIES = 100;
/**
 * Where a SageMaker container writes why it failed: SageMaker returns the file's text (its first 1,024
 * characters) as the job's FailureReason. The group entry writes the group's error there.
 */
const SAGEMAKER_FAILURE_FILE = '/opt/ml/output/failure';
/** The variable that tells the group entry where to write its failure (python/kedro_aws_action/batch_entry.py). */
const FAILURE_FILE_ENV = 'KEDRO_AWS_FAILURE_FILE';
/** The group's options of the entry fixed by the plan (the run adds `--run-id` and `--runtime-params-json`). */
function entrypointOf(group, env, pipeline) {
    return [
        _batch__WEBPACK_IMPORTED_MODULE_0__/* .BATCH_PYTHON */ .kW,
        '-m',
        _batch__WEBPACK_IMPORTED_MODULE_0__/* .BATCH_ENTRY_MODULE */ .bT,
        '--group',
        group.name,
        '--type',
        group.type,
        '--nodes',
        nodesArgument(group),
        '--env',
        env,
        '--pipeline',
        pipeline,
    ];
}
/** The node list of a group, left out (`[]`) of a namespace group whose list is too long for one argument. */
function nodesArgument(group) {
    const json = JSON.stringify(group.nodes);
    return group.type === 'namespace' && json.length > MAX_CONTAINER_STRING ? '[]' : json;
}
/** The run's arguments, built by Step Functions from the execution input. */
const RUN_ARGUMENTS = "States.Array('--run-id', $.run_id, '--runtime-params-json', States.JsonToString($.runtime_params))";
/**
 * The name of the group's job each time the state runs: its prefix and a UUID (see the module comment).
 * The prefix is `[a-z0-9-]` only, so it needs no escaping inside the intrinsic's quotes.
 */
function trainingJobNameExpression(group) {
    return `States.Format('${group.names.sagemakerJob}-{}', States.UUID())`;
}
/** Seconds the Task may take: the job's own limit and the start-up margin. */
function sagemakerTaskTimeoutSeconds(settings) {
    const limit = settings.spot && settings.max_wait_seconds !== null ? settings.max_wait_seconds : settings.timeout_seconds;
    return limit + SAGEMAKER_TASK_START_SECONDS;
}
/** The CreateTrainingJob request of a group, as the Task's `Parameters` (`.$` keys filled in by each run). */
function trainingJobParameters(group, options, context, release = []) {
    const s = group.settings;
    const entrypoint = entrypointOf(group, context.env, context.pipeline);
    const environment = {
        ...options.environment,
        [FAILURE_FILE_ENV]: SAGEMAKER_FAILURE_FILE,
        // schedule exact: the gated groups this one opens once it has run (the group entry reads them, as a
        // Batch job's does).
        ...(release.length > 0 ? { [_environment__WEBPACK_IMPORTED_MODULE_2__/* .RELEASE_ENV */ .Uw]: JSON.stringify(release) } : {}),
    };
    const problems = requestProblems(group, entrypoint, environment);
    if (problems.length > 0)
        throw new _errors__WEBPACK_IMPORTED_MODULE_1__/* .PlanningError */ .yL(problems);
    return {
        'TrainingJobName.$': trainingJobNameExpression(group),
        RoleArn: options.roleArn,
        AlgorithmSpecification: {
            TrainingImage: options.imageUri,
            TrainingInputMode: 'File',
            ContainerEntrypoint: entrypoint,
            'ContainerArguments.$': RUN_ARGUMENTS,
        },
        ResourceConfig: {
            InstanceType: s.instance_type,
            InstanceCount: s.instance_count,
            VolumeSizeInGB: s.volume_size_gb,
        },
        StoppingCondition: {
            MaxRuntimeInSeconds: s.timeout_seconds,
            ...(s.spot && s.max_wait_seconds !== null ? { MaxWaitTimeInSeconds: s.max_wait_seconds } : {}),
        },
        ...(s.spot ? { EnableManagedSpotTraining: true } : {}),
        ...(s.retries > 0 ? { RetryStrategy: { MaximumRetryAttempts: s.retries } } : {}),
        OutputDataConfig: { S3OutputPath: options.outputPath, CompressionType: 'NONE' },
        Environment: environment,
        Tags: [
            ...Object.entries(options.tags).map(([Key, Value]) => ({ Key, Value })),
            { Key: _batch__WEBPACK_IMPORTED_MODULE_0__/* .GROUP_TAG */ .TG, Value: (0,_batch__WEBPACK_IMPORTED_MODULE_0__/* .tagValue */ .EZ)(group.name, group.names.sagemakerJob) },
            { Key: _batch__WEBPACK_IMPORTED_MODULE_0__/* .RUN_TAG */ .R2, 'Value.$': '$.run_id' },
        ],
    };
}
/** What CreateTrainingJob would refuse in a group's request, known before the run. */
function requestProblems(group, entrypoint, environment) {
    const problems = [];
    const long = entrypoint.filter((a) => a.length > MAX_CONTAINER_STRING);
    if (long.length > 0) {
        problems.push(`group ${(0,_errors__WEBPACK_IMPORTED_MODULE_1__/* .quote */ .hD)(group.name)} runs on SageMaker, whose container arguments are at most ${MAX_CONTAINER_STRING} ` +
            `characters each, but ${(0,_errors__WEBPACK_IMPORTED_MODULE_1__/* .quote */ .hD)(long[0])} is ${long[0]?.length}; shorten the node or group name.`);
    }
    for (const [key, value] of Object.entries(environment)) {
        if (value.length > MAX_ENVIRONMENT_VALUE) {
            problems.push(`group ${(0,_errors__WEBPACK_IMPORTED_MODULE_1__/* .quote */ .hD)(group.name)} runs on SageMaker, whose environment values are at most ${MAX_ENVIRONMENT_VALUE} ` +
                `characters, but ${key} is ${value.length}; shorten it (for the run records: the "run-records" input).`);
        }
    }
    if (Object.keys(environment).length > MAX_ENVIRONMENT_ENTRIES) {
        problems.push(`group ${(0,_errors__WEBPACK_IMPORTED_MODULE_1__/* .quote */ .hD)(group.name)} would get ${Object.keys(environment).length} environment variables on SageMaker, ` +
            `over its limit of ${MAX_ENVIRONMENT_ENTRIES}.`);
    }
    return problems;
}
/**
 * Problems of a plan with SageMaker groups that only the plan shows: the run's runtime params, which
 * travel as one container argument (at most 256 characters), and the target (SageMaker groups run
 * inside the Step Functions state machine only).
 */
function sagemakerPlanProblems(plan, groups) {
    const onSageMaker = groups.filter((g) => g.settings.compute === 'sagemaker').map((g) => g.name);
    if (onSageMaker.length === 0)
        return [];
    const params = JSON.stringify(plan.runtime_params ?? {});
    if (params.length <= MAX_CONTAINER_STRING)
        return [];
    return [
        `the runtime params are ${params.length} characters as JSON, but SageMaker groups (${onSageMaker
            .map((g) => (0,_errors__WEBPACK_IMPORTED_MODULE_1__/* .quote */ .hD)(g))
            .join(', ')}) get them as one container argument, at most ${MAX_CONTAINER_STRING} characters; give fewer or ` +
            'shorter runtime params, or run those groups on compute: batch.',
    ];
}


/***/ }),

/***/ 3941:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  K1: () => (/* binding */ BUILT_IN_DEFAULTS),
  LE: () => (/* binding */ FARGATE_RESOURCES),
  yN: () => (/* binding */ GROUP_SETTINGS_INPUT_LABEL),
  b1: () => (/* binding */ LIMITS),
  uN: () => (/* binding */ describeOrigin),
  Mo: () => (/* binding */ resolveSettings),
  Qt: () => (/* binding */ settingsFileLabel)
});

// UNUSED EXPORTS: COMPUTE_KINDS, GroupSettingsOverrideSchema, KedroAwsSettingsSchema, SAGEMAKER_KEYS, SETTING_KEYS, batchVcpusAccepted, instanceTypeHint, parseSettingsSource

// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 15 modules
var schemas = __webpack_require__(9691);
// EXTERNAL MODULE: ./src/plan/errors.ts
var errors = __webpack_require__(9516);
;// CONCATENATED MODULE: ./src/plan/sagemaker-instances.ts
/**
 * The instance types of a SageMaker training job: the `TrainingInstanceType` enum of the SageMaker API
 * model (botocore 1.43.117). Generated by scripts/sagemaker-instance-types.py; do not edit.
 */
const SAGEMAKER_TRAINING_INSTANCE_TYPES = [
    'ml.c4.2xlarge',
    'ml.c4.4xlarge',
    'ml.c4.8xlarge',
    'ml.c4.xlarge',
    'ml.c5.18xlarge',
    'ml.c5.2xlarge',
    'ml.c5.4xlarge',
    'ml.c5.9xlarge',
    'ml.c5.xlarge',
    'ml.c5n.18xlarge',
    'ml.c5n.2xlarge',
    'ml.c5n.4xlarge',
    'ml.c5n.9xlarge',
    'ml.c5n.xlarge',
    'ml.c6i.12xlarge',
    'ml.c6i.16xlarge',
    'ml.c6i.24xlarge',
    'ml.c6i.2xlarge',
    'ml.c6i.32xlarge',
    'ml.c6i.4xlarge',
    'ml.c6i.8xlarge',
    'ml.c6i.xlarge',
    'ml.c7i-flex.12xlarge',
    'ml.c7i-flex.16xlarge',
    'ml.c7i-flex.2xlarge',
    'ml.c7i-flex.4xlarge',
    'ml.c7i-flex.8xlarge',
    'ml.c7i-flex.xlarge',
    'ml.c7i.12xlarge',
    'ml.c7i.16xlarge',
    'ml.c7i.24xlarge',
    'ml.c7i.2xlarge',
    'ml.c7i.48xlarge',
    'ml.c7i.4xlarge',
    'ml.c7i.8xlarge',
    'ml.c7i.large',
    'ml.c7i.xlarge',
    'ml.c8i-flex.12xlarge',
    'ml.c8i-flex.16xlarge',
    'ml.c8i-flex.2xlarge',
    'ml.c8i-flex.4xlarge',
    'ml.c8i-flex.8xlarge',
    'ml.c8i-flex.xlarge',
    'ml.c8i.12xlarge',
    'ml.c8i.16xlarge',
    'ml.c8i.24xlarge',
    'ml.c8i.2xlarge',
    'ml.c8i.32xlarge',
    'ml.c8i.48xlarge',
    'ml.c8i.4xlarge',
    'ml.c8i.8xlarge',
    'ml.c8i.96xlarge',
    'ml.c8i.xlarge',
    'ml.g4dn.12xlarge',
    'ml.g4dn.16xlarge',
    'ml.g4dn.2xlarge',
    'ml.g4dn.4xlarge',
    'ml.g4dn.8xlarge',
    'ml.g4dn.xlarge',
    'ml.g5.12xlarge',
    'ml.g5.16xlarge',
    'ml.g5.24xlarge',
    'ml.g5.2xlarge',
    'ml.g5.48xlarge',
    'ml.g5.4xlarge',
    'ml.g5.8xlarge',
    'ml.g5.xlarge',
    'ml.g6.12xlarge',
    'ml.g6.16xlarge',
    'ml.g6.24xlarge',
    'ml.g6.2xlarge',
    'ml.g6.48xlarge',
    'ml.g6.4xlarge',
    'ml.g6.8xlarge',
    'ml.g6.xlarge',
    'ml.g6e.12xlarge',
    'ml.g6e.16xlarge',
    'ml.g6e.24xlarge',
    'ml.g6e.2xlarge',
    'ml.g6e.48xlarge',
    'ml.g6e.4xlarge',
    'ml.g6e.8xlarge',
    'ml.g6e.xlarge',
    'ml.g7.12xlarge',
    'ml.g7.24xlarge',
    'ml.g7.2xlarge',
    'ml.g7.48xlarge',
    'ml.g7.4xlarge',
    'ml.g7.8xlarge',
    'ml.g7e.12xlarge',
    'ml.g7e.24xlarge',
    'ml.g7e.2xlarge',
    'ml.g7e.48xlarge',
    'ml.g7e.4xlarge',
    'ml.g7e.8xlarge',
    'ml.m4.10xlarge',
    'ml.m4.16xlarge',
    'ml.m4.2xlarge',
    'ml.m4.4xlarge',
    'ml.m4.xlarge',
    'ml.m5.12xlarge',
    'ml.m5.24xlarge',
    'ml.m5.2xlarge',
    'ml.m5.4xlarge',
    'ml.m5.large',
    'ml.m5.xlarge',
    'ml.m6i.12xlarge',
    'ml.m6i.16xlarge',
    'ml.m6i.24xlarge',
    'ml.m6i.2xlarge',
    'ml.m6i.32xlarge',
    'ml.m6i.4xlarge',
    'ml.m6i.8xlarge',
    'ml.m6i.large',
    'ml.m6i.xlarge',
    'ml.m7i-flex.12xlarge',
    'ml.m7i-flex.16xlarge',
    'ml.m7i-flex.2xlarge',
    'ml.m7i-flex.4xlarge',
    'ml.m7i-flex.8xlarge',
    'ml.m7i-flex.large',
    'ml.m7i-flex.xlarge',
    'ml.m7i.12xlarge',
    'ml.m7i.16xlarge',
    'ml.m7i.24xlarge',
    'ml.m7i.2xlarge',
    'ml.m7i.48xlarge',
    'ml.m7i.4xlarge',
    'ml.m7i.8xlarge',
    'ml.m7i.large',
    'ml.m7i.xlarge',
    'ml.m8i-flex.12xlarge',
    'ml.m8i-flex.16xlarge',
    'ml.m8i-flex.2xlarge',
    'ml.m8i-flex.4xlarge',
    'ml.m8i-flex.8xlarge',
    'ml.m8i-flex.large',
    'ml.m8i-flex.xlarge',
    'ml.m8i.12xlarge',
    'ml.m8i.16xlarge',
    'ml.m8i.24xlarge',
    'ml.m8i.2xlarge',
    'ml.m8i.32xlarge',
    'ml.m8i.48xlarge',
    'ml.m8i.4xlarge',
    'ml.m8i.8xlarge',
    'ml.m8i.96xlarge',
    'ml.m8i.large',
    'ml.m8i.xlarge',
    'ml.p2.16xlarge',
    'ml.p2.8xlarge',
    'ml.p2.xlarge',
    'ml.p3.16xlarge',
    'ml.p3.2xlarge',
    'ml.p3.8xlarge',
    'ml.p3dn.24xlarge',
    'ml.p4d.24xlarge',
    'ml.p4de.24xlarge',
    'ml.p5.48xlarge',
    'ml.p5.4xlarge',
    'ml.p5e.48xlarge',
    'ml.p5en.48xlarge',
    'ml.p6-b200.48xlarge',
    'ml.p6-b300.48xlarge',
    'ml.p6e-gb200.36xlarge',
    'ml.r5.12xlarge',
    'ml.r5.16xlarge',
    'ml.r5.24xlarge',
    'ml.r5.2xlarge',
    'ml.r5.4xlarge',
    'ml.r5.8xlarge',
    'ml.r5.large',
    'ml.r5.xlarge',
    'ml.r5d.12xlarge',
    'ml.r5d.16xlarge',
    'ml.r5d.24xlarge',
    'ml.r5d.2xlarge',
    'ml.r5d.4xlarge',
    'ml.r5d.8xlarge',
    'ml.r5d.large',
    'ml.r5d.xlarge',
    'ml.r6i.12xlarge',
    'ml.r6i.16xlarge',
    'ml.r6i.24xlarge',
    'ml.r6i.2xlarge',
    'ml.r6i.32xlarge',
    'ml.r6i.4xlarge',
    'ml.r6i.8xlarge',
    'ml.r6i.large',
    'ml.r6i.xlarge',
    'ml.r7i.12xlarge',
    'ml.r7i.16xlarge',
    'ml.r7i.24xlarge',
    'ml.r7i.2xlarge',
    'ml.r7i.48xlarge',
    'ml.r7i.4xlarge',
    'ml.r7i.8xlarge',
    'ml.r7i.large',
    'ml.r7i.xlarge',
    'ml.r8i-flex.12xlarge',
    'ml.r8i-flex.16xlarge',
    'ml.r8i-flex.2xlarge',
    'ml.r8i-flex.4xlarge',
    'ml.r8i-flex.8xlarge',
    'ml.r8i-flex.large',
    'ml.r8i-flex.xlarge',
    'ml.r8i.12xlarge',
    'ml.r8i.16xlarge',
    'ml.r8i.24xlarge',
    'ml.r8i.2xlarge',
    'ml.r8i.32xlarge',
    'ml.r8i.48xlarge',
    'ml.r8i.4xlarge',
    'ml.r8i.8xlarge',
    'ml.r8i.96xlarge',
    'ml.r8i.large',
    'ml.r8i.xlarge',
    'ml.t3.2xlarge',
    'ml.t3.large',
    'ml.t3.medium',
    'ml.t3.xlarge',
    'ml.trn1.2xlarge',
    'ml.trn1.32xlarge',
    'ml.trn1n.32xlarge',
    'ml.trn2.48xlarge',
];

;// CONCATENATED MODULE: ./src/plan/settings.ts
/**
 * Per-group settings (memory, timeout, compute, vCPUs, retries, and for SageMaker the instance): where
 * they come from, how they merge, and the AWS limits they must respect.
 *
 * Two sources have the same shape:
 *
 * ```yaml
 * defaults: { memory_mb: 2048, timeout_seconds: 600, compute: lambda, vcpus: 1, retries: 2 }
 * groups:
 *   data_science: { memory_mb: 4096, compute: batch, timeout_seconds: 3600 }
 * ```
 *
 * the `kedro_aws` config of the project (plan.settings, read by Kedro's own config loader from
 * `conf/base` and `conf/<env>`), and the action's `group-settings` input (parsed by the caller).
 * For each setting of each group, the most specific value wins, and at equal specificity the input
 * wins over the file:
 *
 *   built-in default < file `defaults` < input `defaults` < file `groups.<g>` < input `groups.<g>`
 *
 * A key set to null counts as not set. Every problem (unknown key, wrong type, unknown group, a value
 * outside the AWS limits) is collected and reported together, naming the group, the key, the value,
 * the limit and the file or input it came from.
 *
 * Limits relied on: Lambda memory 128–10,240 MB and timeout 1–900 s (Lambda quotas); Batch job
 * timeout (`attemptDurationSeconds`) at least 60 s; Batch memory at least 4 MiB; Batch
 * `retryStrategy.attempts` 1–10; Batch vCPUs a whole number of at least 1 on EC2, or one of the Fargate
 * values ({@link FARGATE_RESOURCES}), the pair with memory checked at deploy once the platform is known
 * (src/plan/batch.ts `batchSettingsProblems`). `retries` counts the runs AFTER the first, so for Batch
 * attempts = retries + 1 and retries must be 0–9; for Lambda groups retries must be 0–10.
 *
 * SageMaker groups (`compute: sagemaker`, a training job; see sagemaker.ts) take their limits from the
 * SageMaker API reference (CreateTrainingJob, StoppingCondition, RetryStrategy): `timeout_seconds` is
 * the job's MaxRuntimeInSeconds, at most 28 days (2,419,200 s); `instance_type` one of the API model's
 * TrainingInstanceType values (sagemaker-instances.ts); `instance_count` 1, because a group is one
 * Kedro session in one process, which a second instance would only run again; `spot: true` needs
 * `max_wait_seconds` (MaxWaitTimeInSeconds), at least the max runtime; `retries` is the
 * RetryStrategy's MaximumRetryAttempts (1–30, 0 = none), retried by SageMaker only after an internal
 * error of its own; `volume_size_gb` 1–16,384 (an EBS volume is at most 16 TiB). `memory_mb` and
 * `vcpus` do not apply: the instance type sets both.
 *
 * Pure: no I/O.
 */



/** Where a group runs. */
const COMPUTE_KINDS = ['lambda', 'batch', 'sagemaker'];
/** The settings that apply to SageMaker groups only. */
const SAGEMAKER_KEYS = [
    'instance_type',
    'instance_count',
    'volume_size_gb',
    'spot',
    'max_wait_seconds',
];
/** The settings a group has, in the order they are documented. */
const SETTING_KEYS = ['memory_mb', 'timeout_seconds', 'compute', 'vcpus', 'retries', ...SAGEMAKER_KEYS];
/** The built-in defaults, the weakest layer of the merge. */
const BUILT_IN_DEFAULTS = {
    memory_mb: 1024,
    timeout_seconds: 900,
    compute: 'lambda',
    vcpus: 1,
    retries: 2,
    instance_type: 'ml.m5.large',
    instance_count: 1,
    volume_size_gb: 30,
    spot: false,
    max_wait_seconds: null,
};
/** `from`, `from + step`, ... up to `to`. */
function steps(from, to, step) {
    return Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);
}
/**
 * The vCPU and memory (MiB) pairs a job on Fargate may have: for each vCPU value, the memory values
 * AWS Batch accepts with it (AWS Batch API reference, ResourceRequirement `value`,
 * https://docs.aws.amazon.com/batch/latest/APIReference/API_ResourceRequirement.html). Any other pair,
 * and any other vCPU value, is refused by RegisterJobDefinition and SubmitJob.
 */
const FARGATE_RESOURCES = new Map([
    [0.25, [512, 1024, 2048]],
    [0.5, steps(1024, 4096, 1024)],
    [1, steps(2048, 8192, 1024)],
    [2, steps(4096, 16384, 1024)],
    [4, steps(8192, 30720, 1024)],
    [8, steps(16384, 61440, 4096)],
    [16, steps(32768, 122880, 8192)],
    [32, [61440, 122880, 249856]],
]);
/** AWS limits checked after merging (they depend on the group's compute). */
const LIMITS = {
    lambda: { memoryMinMb: 128, memoryMaxMb: 10240, timeoutMinSeconds: 1, timeoutMaxSeconds: 900, retriesMax: 10 },
    /**
     * vCPUs: on EC2 a whole number of at least 1 ("For Amazon EC2 resources, you must specify at least one
     * vCPU", ResourceRequirement; the job's CPU shares are 1,024 per vCPU); on Fargate one of
     * {@link FARGATE_RESOURCES}' values, with a memory that goes with it.
     */
    batch: { memoryMinMb: 4, timeoutMinSeconds: 60, retriesMax: 9, ec2VcpusMin: 1, fargate: FARGATE_RESOURCES },
    sagemaker: {
        /** StoppingCondition.MaxRuntimeInSeconds: at most 28 days. */
        timeoutMaxSeconds: 28 * 24 * 3600,
        /** RetryStrategy.MaximumRetryAttempts: 1 to 30 (0 here: no RetryStrategy). */
        retriesMax: 30,
        instanceCount: 1,
        volumeMinGb: 1,
        /** The largest EBS volume, 16 TiB. */
        volumeMaxGb: 16384,
    },
};
/** True when AWS Batch accepts `vcpus` on at least one platform (EC2: whole, at least 1; Fargate: a listed value). */
function batchVcpusAccepted(vcpus) {
    return (Number.isInteger(vcpus) && vcpus >= LIMITS.batch.ec2VcpusMin) || FARGATE_RESOURCES.has(vcpus);
}
/** The settings of one group, or of `defaults`, in a source: every key optional, null = not set. */
const GroupSettingsOverrideSchema = schemas/* strictObject */.rej({
    memory_mb: schemas/* int */.Whr().nullish(),
    timeout_seconds: schemas/* int */.Whr().nullish(),
    compute: schemas/* enum */.k5n(COMPUTE_KINDS).nullish(),
    vcpus: schemas/* number */.aig().nullish(),
    retries: schemas/* int */.Whr().nullish(),
    instance_type: schemas/* string */.YjP().nullish(),
    instance_count: schemas/* int */.Whr().nullish(),
    volume_size_gb: schemas/* int */.Whr().nullish(),
    spot: schemas/* boolean */.zMY().nullish(),
    max_wait_seconds: schemas/* int */.Whr().nullish(),
});
/** The `kedro_aws` config (plan.settings) and the `group-settings` input share this shape. */
const KedroAwsSettingsSchema = schemas/* strictObject */.rej({
    defaults: GroupSettingsOverrideSchema.nullish(),
    groups: schemas/* record */.g1P(schemas/* string */.YjP(), GroupSettingsOverrideSchema.nullish()).nullish(),
});
const BUILT_IN = { source: 'built-in default', path: '' };
/** The label of the action input, for messages. */
const GROUP_SETTINGS_INPUT_LABEL = 'the `group-settings` input';
/** The label of the project's config file for an env, for messages. */
function settingsFileLabel(env) {
    return `conf/${env}/kedro_aws.yml`;
}
/** Describe where a value came from: `groups.a.memory_mb in conf/aws/kedro_aws.yml`. */
function describeOrigin(origin) {
    return origin.path === '' ? `the ${origin.source}` : `${origin.path} in ${origin.source}`;
}
const SIMPLE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A config path as the user writes it: `groups.data_science.memory_mb`, `groups."a.b".retries`. */
function formatPath(path) {
    return path.map((p) => (typeof p === 'string' && SIMPLE_KEY.test(p) ? p : (0,errors/* quote */.hD)(String(p)))).join('.');
}
function describeValue(value) {
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return `a list (${(0,errors/* quote */.hD)(value)})`;
    if (typeof value === 'object')
        return 'a mapping';
    return (0,errors/* quote */.hD)(value);
}
const EXPECTED = {
    memory_mb: 'a whole number of MB',
    timeout_seconds: 'a whole number of seconds',
    compute: `one of ${COMPUTE_KINDS.map((c) => (0,errors/* quote */.hD)(c)).join(' or ')}`,
    vcpus: 'a number of vCPUs (such as 1 or 0.5)',
    retries: 'a whole number',
    instance_type: 'a SageMaker instance type such as "ml.m5.xlarge"',
    instance_count: 'a whole number',
    volume_size_gb: 'a whole number of GB',
    spot: 'true or false',
    max_wait_seconds: 'a whole number of seconds',
};
function isSettingKey(key) {
    return typeof key === 'string' && SETTING_KEYS.includes(key);
}
function valueAt(root, path) {
    let current = root;
    for (const key of path) {
        if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key))
            return undefined;
        current = current[key];
    }
    return current;
}
function deleteAt(root, path) {
    const parent = valueAt(root, path.slice(0, -1));
    const last = path[path.length - 1];
    if (last !== undefined && parent !== null && typeof parent === 'object') {
        delete parent[last];
    }
}
/** A sentence for one zod issue, naming the key, the value, what is expected and the source. */
function issueProblem(issue, raw, label) {
    const path = issue.path;
    if (issue.code === 'unrecognized_keys') {
        const keys = issue.keys;
        const accepted = path.length === 0 ? ['defaults', 'groups'] : [...SETTING_KEYS];
        const where = path.length === 0 ? 'at the top level' : `in ${formatPath(path)}`;
        return (`${label}: unknown ${keys.length === 1 ? 'key' : 'keys'} ${(0,errors/* quoteList */.JN)(keys)} ${where}; ` +
            `the accepted keys are ${accepted.join(', ')}.`);
    }
    const value = valueAt(raw, path);
    const last = path[path.length - 1];
    let expected;
    if (path.length === 0)
        expected = 'a mapping with `defaults` and/or `groups`';
    else if (path.length === 1 && last === 'groups')
        expected = 'a mapping from group name to settings';
    else if (isSettingKey(last) && path.length >= 2)
        expected = EXPECTED[last];
    else
        expected = `a mapping of settings (${SETTING_KEYS.join(', ')})`;
    const what = path.length === 0 ? 'the settings' : formatPath(path);
    return `${label}: ${what} is ${describeValue(value)}, but it must be ${expected}.`;
}
/**
 * Validate one source against {@link KedroAwsSettingsSchema}. Returns every problem, and the
 * settings with the offending entries removed (so the valid rest can still be merged and checked).
 */
function parseSettingsSource(source) {
    const raw = source.value ?? {};
    const first = KedroAwsSettingsSchema.safeParse(raw);
    if (first.success)
        return { settings: first.data, problems: [] };
    const problems = first.error.issues.map((issue) => issueProblem(issue, raw, source.label));
    if (first.error.issues.some((issue) => issue.path.length === 0 && issue.code !== 'unrecognized_keys')) {
        return { settings: {}, problems };
    }
    const cleaned = structuredClone(raw);
    for (const issue of first.error.issues) {
        if (issue.code === 'unrecognized_keys') {
            for (const key of issue.keys)
                deleteAt(cleaned, [...issue.path, key]);
        }
        else {
            deleteAt(cleaned, issue.path);
        }
    }
    const second = KedroAwsSettingsSchema.safeParse(cleaned);
    return { settings: second.success ? second.data : {}, problems };
}
function groupEntry(settings, group) {
    const groups = settings.groups;
    return groups && Object.hasOwn(groups, group) ? groups[group] : undefined;
}
/** What to say of an instance type SageMaker does not have: the right spelling, or the family's sizes. */
function instanceTypeHint(value) {
    const known = SAGEMAKER_TRAINING_INSTANCE_TYPES;
    const lower = value.trim().toLowerCase();
    const prefixed = lower.startsWith('ml.') ? lower : `ml.${lower}`;
    if (known.includes(prefixed))
        return `did you mean ${(0,errors/* quote */.hD)(prefixed)}?`;
    const family = prefixed.split('.')[1] ?? '';
    const sizes = known.filter((t) => t.split('.')[1] === family);
    if (sizes.length > 0)
        return `the ${family} family has ${(0,errors/* quoteList */.JN)(sizes)}.`;
    return ('SageMaker names them ml.<family>.<size>, e.g. "ml.m5.xlarge" (CPU) or "ml.g5.xlarge" (GPU); ' +
        'see "Instance types for training" in the SageMaker documentation.');
}
function checkSageMaker(s, fail, runsOn) {
    const l = LIMITS.sagemaker;
    if (!SAGEMAKER_TRAINING_INSTANCE_TYPES.includes(s.instance_type)) {
        fail('instance_type', `not an instance type of SageMaker training jobs (the TrainingInstanceType values of the SageMaker API) ${runsOn}`, instanceTypeHint(s.instance_type));
    }
    if (s.instance_count !== l.instanceCount) {
        fail('instance_count', `not 1 ${runsOn}: a group is one Kedro session in one Python process, which a second instance would ` +
            'only run again (SageMaker starts the same container on every instance)', 'set 1, and a larger instance_type for more CPUs, memory or GPUs.');
    }
    if (s.timeout_seconds < 1 || s.timeout_seconds > l.timeoutMaxSeconds) {
        fail('timeout_seconds', `outside the SageMaker limits of 1 to ${l.timeoutMaxSeconds.toLocaleString('en-US')} seconds (28 days, the ` +
            `job's MaxRuntimeInSeconds) ${runsOn}`, 'set a value in range, or split the group.');
    }
    if (s.volume_size_gb < l.volumeMinGb || s.volume_size_gb > l.volumeMaxGb) {
        fail('volume_size_gb', `outside 1 to ${l.volumeMaxGb.toLocaleString('en-US')} GB (the ML storage volume is an EBS volume, at most 16 TiB) ${runsOn}`, 'set a value in range.');
    }
    if (s.retries < 0 || s.retries > l.retriesMax) {
        fail('retries', `outside 0 to ${l.retriesMax} ${runsOn}: SageMaker retries a training job after its own internal errors at most ` +
            `${l.retriesMax} times (RetryStrategy.MaximumRetryAttempts)`, 'set a value in range.');
    }
    if (s.spot && s.max_wait_seconds === null) {
        fail('spot', `set without max_wait_seconds ${runsOn}: managed spot training needs MaxWaitTimeInSeconds, the longest the ` +
            'job may wait for spot capacity and run', `set max_wait_seconds, at least timeout_seconds (${s.timeout_seconds}), next to it.`);
    }
    if (s.spot && s.max_wait_seconds !== null && s.max_wait_seconds < s.timeout_seconds) {
        fail('max_wait_seconds', `below timeout_seconds (${s.timeout_seconds}) ${runsOn}: SageMaker requires MaxWaitTimeInSeconds to be at ` +
            'least MaxRuntimeInSeconds', 'raise it, or lower timeout_seconds.');
    }
}
function checkLimits(group, resolved) {
    const { settings: s, origins } = resolved;
    const failures = [];
    const fail = (key, rule, hint) => {
        failures.push({ group, key, value: s[key], origin: origins[key], rule, hint });
    };
    // The limits depend on where the group runs; say where that choice came from.
    const runsOn = `with compute: ${s.compute} (from ${describeOrigin(origins.compute)})`;
    if (s.compute === 'sagemaker') {
        checkSageMaker(s, fail, runsOn);
        return failures;
    }
    // A SageMaker setting in the group's own entry of a group that does not run there is a mistake (most
    // likely a forgotten `compute: sagemaker`); in `defaults` it is for the SageMaker groups only.
    for (const key of SAGEMAKER_KEYS) {
        if (origins[key].path.startsWith('groups.')) {
            fail(key, `a SageMaker setting, but the group runs ${runsOn}`, 'add compute: sagemaker, or remove it.');
        }
    }
    if (s.compute === 'lambda') {
        const l = LIMITS.lambda;
        if (s.memory_mb < l.memoryMinMb || s.memory_mb > l.memoryMaxMb) {
            fail('memory_mb', `outside the Lambda limits of ${l.memoryMinMb} to ${l.memoryMaxMb} MB ${runsOn}`, 'set a value in range, or compute: batch for more memory.');
        }
        if (s.timeout_seconds < l.timeoutMinSeconds || s.timeout_seconds > l.timeoutMaxSeconds) {
            fail('timeout_seconds', `outside the Lambda limits of ${l.timeoutMinSeconds} to ${l.timeoutMaxSeconds} seconds (15 minutes) ${runsOn}`, 'set a value in range, or compute: batch for longer runs.');
        }
        if (s.retries < 0 || s.retries > l.retriesMax) {
            fail('retries', `outside the limits of 0 to ${l.retriesMax} ${runsOn}`, 'set a value in range.');
        }
    }
    else {
        const b = LIMITS.batch;
        if (s.memory_mb < b.memoryMinMb) {
            fail('memory_mb', `below the AWS Batch minimum of ${b.memoryMinMb} MiB ${runsOn}`, 'raise it.');
        }
        if (s.timeout_seconds < b.timeoutMinSeconds) {
            fail('timeout_seconds', `below the AWS Batch minimum job timeout (attemptDurationSeconds) of ${b.timeoutMinSeconds} seconds ${runsOn}`, 'raise it.');
        }
        if (s.retries < 0 || s.retries > b.retriesMax) {
            fail('retries', `outside the limits of 0 to ${b.retriesMax} ${runsOn}: AWS Batch runs a job at most 10 times ` +
                '(attempts = retries + 1, from 1 to 10)', 'set a value in range.');
        }
        // Which platform the job queue runs on is known at deploy (which checks the rest); no platform takes this.
        if (s.vcpus > 0 && !batchVcpusAccepted(s.vcpus)) {
            fail('vcpus', `a number of vCPUs no AWS Batch platform accepts ${runsOn}: EC2 takes a whole number of at least ` +
                `${b.ec2VcpusMin}, Fargate one of ${[...b.fargate.keys()].join(', ')}`, 'give one of those.');
        }
    }
    if (!(s.vcpus > 0)) {
        fail('vcpus', 'not above 0', 'give a positive number of vCPUs (such as 1, or 0.5 on Fargate).');
    }
    return failures;
}
/** Put together failures with the same key, value, origin and rule: one sentence for all groups. */
function failureProblems(failures) {
    const byCause = new Map();
    for (const f of failures) {
        const cause = JSON.stringify([f.key, f.value, f.origin.source, f.origin.path, f.rule, f.hint]);
        const entry = byCause.get(cause);
        if (entry)
            entry.groups.push(f.group);
        else
            byCause.set(cause, { failure: f, groups: [f.group] });
    }
    return [...byCause.values()].map(({ failure: f, groups }) => {
        const who = groups.length === 1 ? `group ${(0,errors/* quoteList */.JN)(groups)}` : `groups ${(0,errors/* quoteList */.JN)(groups)}`;
        return `${who}: ${f.key} ${(0,errors/* quote */.hD)(f.value)} (from ${describeOrigin(f.origin)}) is ${f.rule}; ${f.hint}`;
    });
}
/**
 * Merge the settings of every group and check them against the AWS limits.
 *
 * @param groups the plan's group names (a `groups` entry for any other name is a problem).
 * @param file the project's `kedro_aws` config (plan.settings).
 * @param input the `group-settings` input, if given.
 */
function resolveSettings(groups, file, input) {
    const sources = [file, ...(input ? [input] : [])];
    const parsed = sources.map((source) => ({ source, ...parseSettingsSource(source) }));
    const problems = parsed.flatMap((p) => p.problems);
    const known = new Set(groups);
    for (const { source, settings } of parsed) {
        for (const name of Object.keys(settings.groups ?? {})) {
            if (!known.has(name)) {
                problems.push(`${source.label}: groups has settings for ${(0,errors/* quote */.hD)(name)}, which is not a group of the pipeline ` +
                    `(the groups are ${(0,errors/* quoteList */.JN)([...groups].sort())}); fix the name or remove the entry.`);
            }
        }
    }
    const [fileParsed, inputParsed] = parsed;
    const resolved = new Map();
    const failures = [];
    for (const group of groups) {
        const groupPath = `groups.${SIMPLE_KEY.test(group) ? group : (0,errors/* quote */.hD)(group)}`;
        const layers = [];
        if (fileParsed)
            layers.push({ values: fileParsed.settings.defaults, source: file.label, path: 'defaults' });
        if (inputParsed && input)
            layers.push({ values: inputParsed.settings.defaults, source: input.label, path: 'defaults' });
        if (fileParsed)
            layers.push({ values: groupEntry(fileParsed.settings, group), source: file.label, path: groupPath });
        if (inputParsed && input) {
            layers.push({ values: groupEntry(inputParsed.settings, group), source: input.label, path: groupPath });
        }
        const settings = { ...BUILT_IN_DEFAULTS };
        const origins = Object.fromEntries(SETTING_KEYS.map((key) => [key, BUILT_IN]));
        for (const layer of layers) {
            for (const key of SETTING_KEYS) {
                const value = layer.values?.[key];
                if (value === undefined || value === null)
                    continue;
                settings[key] = value;
                origins[key] = { source: layer.source, path: `${layer.path}.${key}` };
            }
        }
        const entry = { settings, origins };
        resolved.set(group, entry);
        failures.push(...checkLimits(group, entry));
    }
    problems.push(...failureProblems(failures));
    return problems.length > 0 ? { ok: false, problems } : { ok: true, groups: resolved };
}


/***/ }),

/***/ 1662:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  D3: () => (/* binding */ BATCH_SUBMIT_JOB_RESOURCE),
  Bw: () => (/* binding */ LAMBDA_CALLBACK_RESOURCE),
  Yh: () => (/* binding */ LAMBDA_INVOKE_RESOURCE),
  d2: () => (/* binding */ TASK_TIMEOUT_MARGIN_SECONDS),
  _H: () => (/* binding */ buildDefinition)
});

// UNUSED EXPORTS: BATCH_TASK_QUEUE_SECONDS, DEFAULT_SCHEDULE, GATE_MARGIN_SECONDS, HISTORY_EVENTS, LAMBDA_SERVICE_ERRORS, LAMBDA_SERVICE_RETRY, MAX_DEFINITION_BYTES, MAX_GATE_TIMEOUT_SECONDS, MAX_HISTORY_EVENTS, MAX_STATE_NAME_LENGTH, MAX_STATE_PAYLOAD_BYTES, SCHEDULES, gateStateName, quotaProblems

// EXTERNAL MODULE: ./src/plan/batch.ts
var plan_batch = __webpack_require__(9319);
// EXTERNAL MODULE: ./src/plan/environment.ts
var environment = __webpack_require__(2582);
// EXTERNAL MODULE: ./src/plan/errors.ts
var errors = __webpack_require__(9516);
// EXTERNAL MODULE: ./src/plan/names.ts
var names = __webpack_require__(2471);
// EXTERNAL MODULE: ./src/plan/sagemaker.ts
var plan_sagemaker = __webpack_require__(6183);
;// CONCATENATED MODULE: ./src/plan/spschedule.ts
/**
 * Which group waits for which, as nested sequences and parallel blocks: the shape a Step Functions
 * state machine can express (a chain of states, and Parallel states whose branches are chains).
 *
 * Such a shape imposes a series-parallel order R on the groups ("X waits for Y"). Let C be the true
 * order (Y is a dependency of X, directly or not) and L the level-barrier order (Y's dependency
 * level is below X's). Every schedule built here satisfies C ⊆ R ⊆ L:
 *
 * - every group runs after all of its dependencies, and
 * - no group waits for anything the level-by-level schedule would not also make it wait for, so for
 *   ANY task durations its makespan is at most the level schedule's (a makespan is the heaviest
 *   chain of the order, and every chain of R is a chain of L).
 *
 * ## The algorithm (`dagSchedule`)
 *
 * `solve(S)` for a set S of groups (the whole DAG first), using the transitive closure:
 *
 * 1. One group: a task.
 * 2. Parallel: if S falls into several components (two groups of S are linked when one depends on
 *    the other), the components run in parallel, each solved on its own.
 * 3. Series: sorted by how many ancestors they have in S, every valid series split (A before B,
 *    every group of B depending on all of A) is a prefix of the order; all of them are taken, and
 *    each chunk is solved on its own.
 * 4. Otherwise S is "prime": connected, no series split, so not series-parallel (it contains an N:
 *    c needs a and b, d needs b but not a). Some group must wait for a group it does not depend on.
 *    Any schedule within L splits such an S as "A before B" at a level threshold (all of S below
 *    level t first, then the rest; a split anywhere else would make some group wait for one at the
 *    same or a higher level). So the choices are exactly the thresholds; each side is solved
 *    recursively. The threshold is picked by searching the whole sub-schedule (memoised): fewest
 *    extra waits on a group exactly one level below the waiter (the ones that really delay it),
 *    then fewest extra waits in all, then the shortest expected makespan if every group took an
 *    independent time of the same mean (Clark's approximation of a maximum). Past a work budget
 *    (big plans that are far from series-parallel), the sub-graphs still to split run level by
 *    level instead; every guarantee above still holds.
 *
 * A series-parallel DAG never reaches step 4 (series-parallel orders are exactly the N-free ones and
 * always decompose), so it runs with no extra waiting at all.
 *
 * ## The exact schedule (`exactSchedule`)
 *
 * The same decomposition (steps 1 to 3), but a prime set is not split: it runs as a forest with
 * gates. Within the prime set S (whose groups' dependencies outside S have all finished when S
 * starts), take each group's dependencies in S after transitive reduction:
 *
 * - none: the group starts a branch of S's parallel block;
 * - exactly one, d: the group follows d in d's branch (right after it, or as one branch of a
 *   parallel block after it), so it starts the moment d ends;
 * - two or more: the group starts a branch of S's parallel block behind a gate ({@link Gate}) that
 *   opens when the last of those dependencies has finished (a callback task in the state machine).
 *
 * So every group starts when its last dependency ends, on any DAG: no extra waits at all. Gates
 * appear only inside prime sets (a series-parallel DAG has none), one per group that joins two
 * or more branches there.
 *
 * Pure: no I/O.
 */
/**
 * Work (in 32-group words of bit sets looked at) the split search may spend before it stops
 * comparing splits and runs every sub-graph still to split level by level (well under a second);
 * plans of up to a few hundred groups stay well within it.
 */
const SEARCH_WORK_BUDGET = 50_000_000;
/** Steps spent looking for N witnesses, per barrier and for the whole schedule. */
const WITNESS_BUDGET_PER_BARRIER = 100_000;
const WITNESS_BUDGET_TOTAL = 2_000_000;
function popcount(x) {
    let v = x - ((x >>> 1) & 0x55555555);
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
function has(bits, i) {
    return ((bits[i >>> 5] >>> (i & 31)) & 1) === 1;
}
function add(bits, i) {
    bits[i >>> 5] = bits[i >>> 5] | (1 << (i & 31));
}
function andCount(a, b) {
    let count = 0;
    for (let w = 0; w < a.length; w += 1)
        count += popcount(a[w] & b[w]);
    return count;
}
function count(a) {
    let total = 0;
    for (let w = 0; w < a.length; w += 1)
        total += popcount(a[w]);
    return total;
}
/** Indices set in `a & b`, ascending. */
function andMembers(a, b) {
    const out = [];
    for (let w = 0; w < a.length; w += 1) {
        let word = (a[w] & b[w]) >>> 0;
        while (word !== 0) {
            const low = word & -word;
            out.push(w * 32 + (31 - Math.clz32(low)));
            word = (word ^ low) >>> 0;
        }
    }
    return out;
}
function buildDag(groups) {
    const n = groups.length;
    const words = Math.max(1, (n + 31) >>> 5);
    const index = new Map();
    groups.forEach((g, i) => {
        if (index.has(g.name))
            throw new Error(`internal: group ${JSON.stringify(g.name)} is listed twice`);
        index.set(g.name, i);
    });
    const ancestors = [];
    const levels = [];
    groups.forEach((g, i) => {
        const bits = new Uint32Array(words);
        let level = 0;
        for (const dep of g.dependencies) {
            const j = index.get(dep);
            if (j === undefined || j >= i) {
                throw new Error(`internal: group ${JSON.stringify(g.name)} depends on ${JSON.stringify(dep)}, ` +
                    'which is not listed before it (the groups must come in dependency order)');
            }
            add(bits, j);
            const depBits = ancestors[j];
            for (let w = 0; w < words; w += 1)
                bits[w] = bits[w] | depBits[w];
            level = Math.max(level, levels[j] + 1);
        }
        ancestors.push(bits);
        levels.push(level);
    });
    const descendants = groups.map(() => new Uint32Array(words));
    ancestors.forEach((bits, i) => {
        for (let w = 0; w < words; w += 1) {
            let word = bits[w];
            while (word !== 0) {
                const low = word & -word;
                add(descendants[w * 32 + (31 - Math.clz32(low))], i);
                word = (word ^ low) >>> 0;
            }
        }
    });
    return { n, names: groups.map((g) => g.name), words, ancestors, descendants, levels };
}
function maskOf(dag, members) {
    const bits = new Uint32Array(dag.words);
    for (const i of members)
        add(bits, i);
    return bits;
}
/** Number of true "X waits for Y" pairs, summed over the groups. */
function truePairCount(dag) {
    return dag.ancestors.reduce((sum, bits) => sum + count(bits), 0);
}
// ---------------------------------------------------------------------------------------------
// Building nodes.
function task(group) {
    return { kind: 'task', group };
}
/** A sequence of parts, flattening nested sequences (their joins are kept). */
function sequence(parts, joins) {
    const steps = [];
    const allJoins = [];
    parts.forEach((part, i) => {
        if (i > 0)
            allJoins.push(joins[i - 1] ?? null);
        if (part.kind === 'sequence') {
            steps.push(...part.steps);
            allJoins.push(...part.joins);
        }
        else {
            steps.push(part);
        }
    });
    return steps.length === 1 ? steps[0] : { kind: 'sequence', steps, joins: allJoins };
}
function parallel(branches) {
    return branches.length === 1 ? branches[0] : { kind: 'parallel', branches };
}
function normalPdf(x) {
    return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}
/** Standard normal CDF (Abramowitz and Stegun 7.1.26, error below 1.5e-7). */
function normalCdf(x) {
    const z = Math.abs(x) / Math.SQRT2;
    const t = 1 / (1 + 0.3275911 * z);
    const poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t;
    const erf = 1 - poly * Math.exp(-z * z);
    return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}
/**
 * Mean and variance of the later of two independent finishing times (Clark, "The greatest of a
 * finite set of random variables", 1961). Branches of a Parallel state hold distinct groups, so
 * their times are independent.
 */
function laterOf(a, b) {
    const theta = Math.sqrt(a.variance + b.variance);
    if (theta < 1e-12)
        return a.mean >= b.mean ? a : b;
    const alpha = (a.mean - b.mean) / theta;
    const p = normalCdf(alpha);
    const q = normalPdf(alpha);
    const mean = a.mean * p + b.mean * (1 - p) + theta * q;
    const second = (a.mean * a.mean + a.variance) * p + (b.mean * b.mean + b.variance) * (1 - p) + (a.mean + b.mean) * theta * q;
    return { mean, variance: Math.max(0, second - mean * mean) };
}
function inParallel(parts) {
    let acc = parts[0];
    for (const part of parts.slice(1)) {
        const { mean, variance } = laterOf(acc, part);
        acc = { node: acc.node, cost: 0, near: 0, mean, variance };
    }
    return {
        node: parallel(parts.map((p) => p.node)),
        cost: parts.reduce((s, p) => s + p.cost, 0),
        near: parts.reduce((s, p) => s + p.near, 0),
        mean: acc.mean,
        variance: acc.variance,
    };
}
function inSequence(parts, joins, extra = 0, near = 0) {
    return {
        node: sequence(parts.map((p) => p.node), joins),
        cost: parts.reduce((s, p) => s + p.cost, extra),
        near: parts.reduce((s, p) => s + p.near, near),
        mean: parts.reduce((s, p) => s + p.mean, 0),
        variance: parts.reduce((s, p) => s + p.variance, 0),
    };
}
/** Relative tolerance when comparing expected makespans (they are sums of floating-point terms). */
const MEAN_EPSILON = 1e-9;
class Solver {
    dag;
    budget;
    gates;
    memo = new Map();
    work = 0;
    /** Set once the search budget is spent: sub-graphs still to split run level by level. */
    exhausted = false;
    /** Set when the budget changed the outcome: a split chosen among some only, or levels within. */
    gaveUp = false;
    constructor(dag, budget, 
    /** Schedule `exact`: prime sets become gated forests, whose gates are collected here. */
    gates = null) {
        this.dag = dag;
        this.budget = budget;
        this.gates = gates;
    }
    solve(members) {
        if (members.length === 1)
            return { node: task(members[0]), cost: 0, near: 0, mean: 1, variance: 1 };
        const key = members.join(',');
        const known = this.memo.get(key);
        if (known)
            return known;
        this.spend(members.length * this.dag.words);
        const mask = maskOf(this.dag, members);
        let result;
        const components = this.components(members, mask);
        if (components.length > 1) {
            result = inParallel(components.map((c) => this.solve(c)));
        }
        else {
            const chunks = this.seriesChunks(members, mask);
            result =
                chunks.length > 1
                    ? inSequence(chunks.map((c) => this.solve(c)), chunks.slice(1).map(() => null))
                    : this.gates
                        ? this.gatedForest(members)
                        : this.splitPrime(members);
        }
        this.memo.set(key, result);
        return result;
    }
    spend(units) {
        this.work += units;
        if (this.work > this.budget)
            this.exhausted = true;
    }
    /**
     * Components of `members` where two groups are linked when one depends on the other (directly or
     * not), each ascending, in order of their smallest group.
     */
    components(members, mask) {
        const { ancestors, descendants, words } = this.dag;
        const remaining = mask.slice();
        const result = [];
        for (const start of members) {
            if (!has(remaining, start))
                continue;
            const component = new Uint32Array(words);
            add(component, start);
            remaining[start >>> 5] = remaining[start >>> 5] & ~(1 << (start & 31));
            const queue = [start];
            while (queue.length > 0) {
                const y = queue.pop();
                const up = ancestors[y];
                const down = descendants[y];
                for (let w = 0; w < words; w += 1) {
                    let found = (up[w] | down[w]) & remaining[w];
                    if (found === 0)
                        continue;
                    component[w] = component[w] | found;
                    remaining[w] = remaining[w] & ~found;
                    while (found !== 0) {
                        const low = found & -found;
                        queue.push(w * 32 + (31 - Math.clz32(low)));
                        found = (found ^ low) >>> 0;
                    }
                }
            }
            result.push(andMembers(component, component));
        }
        this.spend(members.length * words);
        return result;
    }
    /**
     * The finest series decomposition of `members` (A1 before A2 before ...; every group of a later
     * chunk depends on every group of the earlier ones). One chunk when there is no series split.
     */
    seriesChunks(members, mask) {
        const { ancestors } = this.dag;
        const inside = new Map(members.map((m) => [m, andCount(ancestors[m], mask)]));
        const order = [...members].sort((a, b) => inside.get(a) - inside.get(b) || a - b);
        const size = order.length;
        // suffix[k] = groups of S that are ancestors of every group order[k..].
        const suffix = new Array(size);
        let running = mask.slice();
        for (let k = size - 1; k >= 1; k -= 1) {
            const anc = ancestors[order[k]];
            const next = new Uint32Array(running.length);
            for (let w = 0; w < next.length; w += 1)
                next[w] = running[w] & anc[w];
            suffix[k] = next;
            running = next;
        }
        const cuts = [];
        const prefix = new Uint32Array(this.dag.words);
        for (let k = 1; k < size; k += 1) {
            add(prefix, order[k - 1]);
            // A group of the prefix has at most k-1 ancestors in S; one of the suffix needs at least k.
            if (inside.get(order[k]) < k)
                continue;
            if (andCount(prefix, suffix[k]) === k)
                cuts.push(k);
        }
        const chunks = [];
        let start = 0;
        for (const cut of [...cuts, size]) {
            chunks.push(order.slice(start, cut).sort((a, b) => a - b));
            start = cut;
        }
        return chunks;
    }
    /**
     * Split a prime (not series-parallel) set at a level threshold. Preferred, in order: the split whose
     * whole sub-schedule adds the fewest extra waits on a group exactly one level below the waiter,
     * then the fewest extra waits in all, then the shortest expected makespan, then the lowest level.
     *
     * Why waits one level down count first: a group X at level k has a chain of k groups before it, so
     * it usually starts after a group Y at level k-2 or below has finished anyway (Y's own chain is
     * shorter): waiting for Y costs little. A group at level k-1 has a chain as long as X's
     * dependencies' and is the one that really delays X. (On the bench this order beats counting every
     * extra wait alike; see bench/README.md.)
     *
     * Once {@link SEARCH_WORK_BUDGET} is spent, the best split found so far is kept, and sets not yet
     * split run level by level instead.
     */
    splitPrime(members) {
        const { levels, ancestors } = this.dag;
        const thresholds = [...new Set(members.map((m) => levels[m]))].sort((a, b) => a - b).slice(1);
        if (thresholds.length === 0)
            throw new Error('internal: a connected set of groups has a single level');
        if (this.exhausted)
            return this.levelsWithin(members);
        const better = (a, b) => a.totalNear !== b.totalNear
            ? a.totalNear < b.totalNear
            : a.total !== b.total
                ? a.total < b.total
                : a.mean < b.mean - MEAN_EPSILON * Math.max(1, b.mean);
        let best = null;
        for (const level of thresholds) {
            // Out of budget part-way: keep the best split found so far.
            if (best && this.exhausted) {
                this.gaveUp = true;
                break;
            }
            this.spend(members.length * this.dag.words);
            const before = members.filter((m) => levels[m] < level);
            const after = members.filter((m) => levels[m] >= level);
            const beforeMask = maskOf(this.dag, before);
            const lastBefore = before.filter((m) => levels[m] === level - 1);
            const lastMask = maskOf(this.dag, lastBefore);
            let truePairs = 0;
            let nearTruePairs = 0;
            let firstAfter = 0;
            for (const m of after) {
                truePairs += andCount(ancestors[m], beforeMask);
                if (levels[m] === level) {
                    firstAfter += 1;
                    nearTruePairs += andCount(ancestors[m], lastMask);
                }
            }
            const extra = before.length * after.length - truePairs;
            // Across this split, "one level below" can only be level - 1 before and level after.
            const near = lastBefore.length * firstAfter - nearTruePairs;
            const first = this.solve(before);
            const second = this.solve(after);
            const candidate = {
                level,
                before,
                after,
                extra,
                near,
                totalNear: near + first.near + second.near,
                total: extra + first.cost + second.cost,
                mean: first.mean + second.mean,
            };
            if (!best || better(candidate, best))
                best = candidate;
        }
        const chosen = best;
        const barrier = { kind: 'split', level: chosen.level, groups: members };
        return inSequence([this.solve(chosen.before), this.solve(chosen.after)], [barrier], chosen.extra, chosen.near);
    }
    /**
     * A prime set as a forest with gates (schedule `exact`, see the module comment): each group after
     * its one dependency in the set, in that dependency's branch; a group with two or more starts a
     * branch of its own behind a gate. No extra waits.
     */
    gatedForest(members) {
        const { ancestors } = this.dag;
        const gates = this.gates;
        const mask = maskOf(this.dag, members);
        const children = new Map();
        const tops = [];
        for (const m of members) {
            // Dependencies in the set that no other dependency in the set depends on.
            const inSet = andMembers(ancestors[m], mask);
            const direct = inSet.filter((d) => !inSet.some((o) => o !== d && has(ancestors[o], d)));
            this.spend(inSet.length * inSet.length);
            if (direct.length === 1) {
                const list = children.get(direct[0]);
                if (list)
                    list.push(m);
                else
                    children.set(direct[0], [m]);
                continue;
            }
            if (direct.length > 1)
                gates.set(m, direct);
            tops.push(m);
        }
        const branch = (group) => {
            const below = children.get(group) ?? [];
            return below.length === 0 ? task(group) : sequence([task(group), parallel(below.map(branch))], [null]);
        };
        // Ascending: a gated branch comes after the branches of everything it waits for.
        const node = parallel(tops.map(branch));
        return { node, cost: 0, near: 0, mean: 1, variance: 1 };
    }
    /** A prime set run level by level (each level of it a parallel block), when the search is over budget. */
    levelsWithin(members) {
        this.gaveUp = true;
        const { levels, ancestors } = this.dag;
        const byLevel = new Map();
        for (const m of members) {
            const level = levels[m];
            const list = byLevel.get(level);
            if (list)
                list.push(m);
            else
                byLevel.set(level, [m]);
        }
        const slices = [...byLevel.entries()].sort(([a], [b]) => a - b);
        const mask = maskOf(this.dag, members);
        let pairs = 0;
        let done = 0;
        let near = 0;
        let truePairs = 0;
        slices.forEach(([level, slice], k) => {
            pairs += done * slice.length;
            done += slice.length;
            const previous = k > 0 ? slices[k - 1] : null;
            const previousMask = previous && previous[0] === level - 1 ? maskOf(this.dag, previous[1]) : null;
            for (const m of slice) {
                truePairs += andCount(ancestors[m], mask);
                if (previousMask && previous)
                    near += previous[1].length - andCount(ancestors[m], previousMask);
            }
        });
        const parts = slices.map(([, slice]) => inParallel(slice.map((m) => this.solve([m]))));
        const joins = slices.slice(1).map(([level]) => ({ kind: 'levels-within', level, groups: members }));
        return inSequence(parts, joins, pairs - truePairs, near);
    }
}
/**
 * An N inside a barrier's sub-graph: a, b, c, d with c needing a and b, d needing b, and a, d
 * unrelated (as are a and b, c and d). Tried first on the barrier's own extra waits (d waits for a
 * just across it, so the N names a wait that was added), then anywhere in the sub-graph. Null when
 * the budget runs out first.
 */
function findWitness(dag, barrier, waits, budget) {
    const anc = (x) => dag.ancestors[x];
    const related = (x, y) => x === y || has(anc(x), y) || has(anc(y), x);
    const members = barrier.groups;
    let steps = Math.min(budget.left, WITNESS_BUDGET_PER_BARRIER);
    const spend = () => {
        steps -= 1;
        budget.left -= 1;
        return steps > 0;
    };
    /** An N with a and d given (d does not need a): c needs a but is unrelated to d, b under c and d. */
    const withEnds = (a, d) => {
        for (const c of members) {
            if (!spend())
                return 'out';
            if (!has(anc(c), a) || related(c, d))
                continue;
            for (const b of members) {
                if (!spend())
                    return 'out';
                if (b !== a && has(anc(c), b) && has(anc(d), b) && !related(a, b))
                    return [a, b, c, d];
            }
        }
        return null;
    };
    for (const { waiter, waitsFor } of waits) {
        const found = withEnds(waitsFor, waiter);
        if (found === 'out')
            return null;
        if (found)
            return found;
    }
    for (const a of members) {
        for (const d of members) {
            if (!spend())
                return null;
            if (related(a, d))
                continue;
            const found = withEnds(a, d);
            if (found === 'out')
                return null;
            if (found)
                return found;
        }
    }
    return null;
}
// ---------------------------------------------------------------------------------------------
// Costs and extra waits of any schedule.
/** Number of "X waits for Y" pairs the structure imposes, and of groups in it. */
function orderPairs(node) {
    switch (node.kind) {
        case 'task':
            return { pairs: 0, size: 1 };
        case 'parallel':
            return node.branches.map(orderPairs).reduce((a, b) => ({ pairs: a.pairs + b.pairs, size: a.size + b.size }));
        case 'sequence': {
            let pairs = 0;
            let done = 0;
            for (const step of node.steps) {
                const inner = orderPairs(step);
                pairs += done * inner.size + inner.pairs;
                done += inner.size;
            }
            return { pairs, size: done };
        }
    }
}
/** Groups of a sub-schedule that nothing else in it waits for / that wait for nothing in it. */
function ends(node, which) {
    switch (node.kind) {
        case 'task':
            return [node.group];
        case 'parallel':
            return node.branches.flatMap((b) => ends(b, which));
        case 'sequence':
            return ends(node.steps[which === 'first' ? 0 : node.steps.length - 1], which);
    }
}
function extraCovers(dag, node, out) {
    if (node.kind === 'parallel') {
        for (const b of node.branches)
            extraCovers(dag, b, out);
        return;
    }
    if (node.kind !== 'sequence')
        return;
    node.steps.forEach((step, i) => {
        extraCovers(dag, step, out);
        const next = node.steps[i + 1];
        if (!next)
            return;
        const barrier = node.joins[i] ?? null;
        for (const waiter of ends(next, 'first')) {
            for (const waitsFor of ends(step, 'last')) {
                if (has(dag.ancestors[waiter], waitsFor))
                    continue;
                if (!barrier)
                    throw new Error('internal: a plain series step adds a wait that is not a dependency');
                out.push({ waiter, waitsFor, barrier });
            }
        }
    });
}
function finish(dag, root, exact, gates = []) {
    if (gates.length > 0) {
        // Gates add waits the structure does not show; by construction none is extra (see gatedForest).
        return { root, names: dag.names, levels: dag.levels, extraWaitCount: 0, extraWaits: [], exact, gates };
    }
    const covers = [];
    extraCovers(dag, root, covers);
    const byBarrier = new Map();
    for (const cover of covers) {
        const list = byBarrier.get(cover.barrier);
        if (list)
            list.push(cover);
        else
            byBarrier.set(cover.barrier, [cover]);
    }
    const budget = { left: WITNESS_BUDGET_TOTAL };
    const witnesses = new Map();
    for (const [barrier, list] of byBarrier) {
        witnesses.set(barrier, barrier.kind === 'level' ? null : findWitness(dag, barrier, list, budget));
    }
    return {
        root,
        names: dag.names,
        levels: dag.levels,
        extraWaitCount: orderPairs(root).pairs - truePairCount(dag),
        extraWaits: covers.map((cover) => ({ ...cover, witness: witnesses.get(cover.barrier) ?? null })),
        exact,
        gates,
    };
}
/**
 * The dependency-following schedule: no extra waiting for a series-parallel DAG, and within a
 * sub-graph that is not, level-threshold barriers chosen to add the fewest extra waits.
 *
 * @param groups every group, each after all of its dependencies (the planner's order).
 */
function dagSchedule(groups, options = {}) {
    const dag = buildDag(groups);
    if (dag.n === 0)
        throw new Error('internal: no groups to schedule');
    const solver = new Solver(dag, options.workBudget ?? SEARCH_WORK_BUDGET);
    const root = solver.solve(groups.map((_, i) => i)).node;
    return finish(dag, root, !solver.gaveUp);
}
/**
 * The exact schedule: every group starts when its last dependency ends, on any DAG. The series-parallel
 * parts nest as in {@link dagSchedule}; the prime sets run as forests with gates (see the module comment).
 *
 * @param groups every group, each after all of its dependencies (the planner's order).
 */
function exactSchedule(groups) {
    const dag = buildDag(groups);
    if (dag.n === 0)
        throw new Error('internal: no groups to schedule');
    const gates = new Map();
    // No search happens here (a prime set has one forest): the budget cannot change the outcome.
    const solver = new Solver(dag, Number.POSITIVE_INFINITY, gates);
    const root = solver.solve(groups.map((_, i) => i)).node;
    const list = [...gates.entries()].sort(([a], [b]) => a - b).map(([group, after]) => ({ group, after }));
    return finish(dag, root, true, list);
}
/** The seed guides' schedule: all groups of one dependency level in parallel, one level after another. */
function levelSchedule(groups) {
    const dag = buildDag(groups);
    if (dag.n === 0)
        throw new Error('internal: no groups to schedule');
    const byLevel = [];
    dag.levels.forEach((level, i) => {
        while (byLevel.length <= level)
            byLevel.push([]);
        byLevel[level].push(i);
    });
    const all = groups.map((_, i) => i);
    const parts = byLevel.map((members) => parallel(members.map(task)));
    const joins = byLevel.slice(1).map((_, k) => ({ kind: 'level', level: k + 1, groups: all }));
    return finish(dag, sequence(parts, joins), true);
}

;// CONCATENATED MODULE: ./src/plan/statemachine.ts
/**
 * The deployment plan → an Amazon States Language definition for Step Functions (standard workflow).
 *
 * Shape. Every group is one Task state. Their order comes from a schedule (see `spschedule.ts`):
 * a sequence becomes a chain of states (`Next`), a parallel block a Parallel state whose branches
 * are chains. With `schedule: 'dag'` a group waits for its dependencies and, only where the group
 * graph is not series-parallel, for a few more groups (each such extra wait is listed in
 * `stats.syncPoints` with its reason); it never waits for more than the level-by-level schedule
 * would make it wait for. `schedule: 'levels'` is the Kedro guides' shape (one Parallel state per
 * dependency level, chained), kept to compare against.
 *
 * Gates (`schedule: 'exact'`). Where the group graph is not series-parallel, a group with two or more
 * dependencies there starts a branch of its own behind a gate: a callback Task
 * (`lambda:invoke.waitForTaskToken`) that invokes a function of the stage in gate mode (the payload's
 * `gate`: the group, the groups it waits for, the run id and the task token), which stores the token
 * under the stage's run records and returns at once. Each group that such a gate waits for gets the
 * gated groups in its payload (`release`; a Batch or SageMaker group in its job's environment, {@link RELEASE_ENV}):
 * when it has run, its runtime marks it done there and sends SendTaskSuccess to every gate whose
 * groups are all done. Both sides write first and read second (S3 is strongly consistent), so the
 * last of them to write always sees the others and no wake-up is lost; a duplicate SendTaskSuccess is
 * refused by Step Functions (TaskTimedOut) and ignored. A failing group fails its branch, and so the
 * Parallel state and every gate still waiting. A gate times out when its groups cannot all have
 * finished any more: the longest chain of Task timeouts (retries included) before it, plus
 * {@link GATE_MARGIN_SECONDS}. A series-parallel graph gets no gate: `exact` is then `dag`.
 *
 * Data flow. The execution input is `{ "run_id": ..., "runtime_params": {...} }`. Every state has
 * `ResultPath: null`, so it passes its input on untouched and every Task reads the same `$.run_id`
 * and `$.runtime_params` (a Parallel state's output would otherwise be an array of its branches'
 * outputs). The Lambda payload is `{ group, type, nodes, env, pipeline, run_id, runtime_params }`:
 * the first five fixed at deploy time, the last two read from the execution input, which must
 * therefore always hold both (`runtime_params` may be `{}`; a missing key fails the Task).
 *
 * Failures. A Task retries only the Lambda service's own transient errors (never the function's
 * error: a failed Kedro group fails the run, and `redrive` can resume it); nothing is caught, so a
 * failure fails the execution with the group's error.
 *
 * Batch groups. A group with `compute: batch` is a `batch:submitJob.sync` Task instead: a job of the
 * stage's job definition with the group's parameters and overrides, its result dropped, and no Retry
 * (Batch's retry strategy retries a job whose infrastructure failed; see `batchTask`).
 *
 * SageMaker groups. A group with `compute: sagemaker` is a `sagemaker:createTrainingJob.sync` Task: a
 * training job of the same image running the group entry (see sagemaker.ts), its result dropped, and
 * no Retry (the job's RetryStrategy retries what SageMaker's infrastructure failed).
 *
 * Quotas (Step Functions, standard workflows): a definition of at most 1,048,576 bytes (UTF-8 of the
 * JSON sent), at most 25,000 events in one execution's history, at most 262,144 bytes of input to a
 * state. See {@link HISTORY_EVENTS} for how the history is estimated.
 *
 * Pure: no I/O.
 */






/** How the groups are ordered in the state machine (the kinds are the values of the `schedule` input). */

const DEFAULT_SCHEDULE = 'auto';
// ---------------------------------------------------------------------------------------------
// Limits and constants.
/** Step Functions quota: largest state machine definition, in bytes. */
const MAX_DEFINITION_BYTES = 1_048_576;
/** Step Functions quota (standard workflows): events in one execution's history. */
const MAX_HISTORY_EVENTS = 25_000;
/** Step Functions quota: input or output of a state or task, in bytes (UTF-8). */
const MAX_STATE_PAYLOAD_BYTES = 262_144;
/** AWS limit on state names. */
const MAX_STATE_NAME_LENGTH = 80;
/** Service integration used to run a Lambda group (synchronous invoke, returns the function's result). */
const LAMBDA_INVOKE_RESOURCE = 'arn:aws:states:::lambda:invoke';
/** Service integration of a gate: invoke a function and wait until SendTaskSuccess names the token. */
const LAMBDA_CALLBACK_RESOURCE = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
/** Service integration used to run a Batch group (submit the job and wait for it to end). */
const BATCH_SUBMIT_JOB_RESOURCE = 'arn:aws:states:::batch:submitJob.sync';
/**
 * Seconds a Batch Task may wait beyond its attempts' own timeouts: the job's time in the queue
 * (RUNNABLE until there is capacity) and its start. Past it the Task fails with `States.Timeout` and
 * Step Functions terminates the job, instead of a run waiting forever on a queue without capacity.
 */
const BATCH_TASK_QUEUE_SECONDS = 3600;
/**
 * Errors of the Lambda service itself (the invoke did not get to run the group, or was throttled),
 * the only ones retried. The function's own errors (a Kedro node raising) are not: retrying a group
 * that failed on its data would only fail again, later. The first four are the transient service
 * errors AWS's guidance says to retry ("Handle Lambda service exceptions",
 * https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html);
 * `Lambda.TooManyRequestsException` is the throttling error of the same page.
 */
const LAMBDA_SERVICE_ERRORS = [
    'Lambda.ClientExecutionTimeoutException',
    'Lambda.ServiceException',
    'Lambda.AWSLambdaException',
    'Lambda.SdkClientException',
    'Lambda.TooManyRequestsException',
];
/** Retry of Lambda service errors: 2, 4, 8, ... s (full jitter, at most 60 s), 6 retries. */
const LAMBDA_SERVICE_RETRY = {
    ErrorEquals: LAMBDA_SERVICE_ERRORS,
    IntervalSeconds: 2,
    MaxAttempts: 6,
    BackoffRate: 2,
    MaxDelaySeconds: 60,
    JitterStrategy: 'FULL',
};
/**
 * Seconds a Task waits on top of the group's Lambda timeout before Step Functions gives up on it
 * (`States.Timeout`): the function times out first, with its own, clearer error; the margin covers
 * a cold start of the image and a throttled invoke.
 */
const TASK_TIMEOUT_MARGIN_SECONDS = 60;
/**
 * History events per state, for the quota estimate (standard workflows). The event types are those
 * of `GetExecutionHistory` (AWS API reference, `HistoryEvent.type`); the counts are what one state
 * records when it succeeds:
 *
 * - execution: `ExecutionStarted`, `ExecutionSucceeded`;
 * - Task with a request-response integration (`lambda:invoke`): `TaskStateEntered`, `TaskScheduled`,
 *   `TaskStarted`, `TaskSucceeded`, `TaskStateExited`;
 * - Task with a `.sync` integration (a Batch or SageMaker group) or a `.waitForTaskToken` one (a
 *   gate): the same plus `TaskSubmitted`;
 * - Parallel: `ParallelStateEntered`, `ParallelStateStarted`, `ParallelStateSucceeded`,
 *   `ParallelStateExited`;
 * - each retried attempt of a Task: `TaskScheduled`, `TaskStarted`, `TaskFailed` again.
 *
 * The refusal uses the success path (each Task once): retries of Lambda service errors are rare and
 * counting all of them (6 per Task) would refuse plans whose runs fit with room to spare. The worst
 * case is reported beside it.
 */
const HISTORY_EVENTS = {
    execution: 2,
    lambdaTask: 5,
    syncTask: 6,
    callbackTask: 6,
    parallel: 4,
    retryAttempt: 3,
};
/** Seconds a gate waits beyond the longest its groups can take: the release's own calls, and a slow invoke. */
const GATE_MARGIN_SECONDS = 300;
/** Longest TimeoutSeconds a gate gets: a standard workflow's execution lasts at most one year. */
const MAX_GATE_TIMEOUT_SECONDS = 31_536_000;
/** The Task state of one group (without Next/End); `release`: the gated groups it opens when it ends. */
function groupTask(group, context, release) {
    switch (group.settings.compute) {
        case 'lambda':
            return lambdaTask(group, context, release);
        case 'batch':
            return batchTask(group, context, release);
        case 'sagemaker':
            return sagemakerTask(group, context, release);
    }
}
/** A SageMaker group: create a training job of the stage's image and wait for it (see sagemaker.ts). */
function sagemakerTask(group, { options, pipeline }, release) {
    const sagemaker = options.sagemaker;
    if (!sagemaker)
        throw new errors/* PlanningError */.yL([sagemakerProblem([group.name])]);
    return {
        Type: 'Task',
        Resource: plan_sagemaker/* SAGEMAKER_TRAINING_RESOURCE */.xb,
        Parameters: (0,plan_sagemaker/* trainingJobParameters */.CT)(group, sagemaker, { env: options.env, pipeline }, release),
        ResultPath: null,
        TimeoutSeconds: (0,plan_sagemaker/* sagemakerTaskTimeoutSeconds */.KX)(group.settings),
    };
}
function sagemakerProblem(groups) {
    const which = groups.length === 1 ? `group ${(0,errors/* quoteList */.JN)(groups)} has` : `groups ${(0,errors/* quoteList */.JN)(groups)} have`;
    return (`${which} \`compute: sagemaker\`, so the state machine needs the IAM role SageMaker runs ` +
        `${groups.length === 1 ? 'its job' : 'their jobs'} as: give the \`sagemaker-role-arn\` input (the bootstrap ` +
        "stack's SageMakerRoleArn output), or set another compute for them (in conf/<env>/kedro_aws.yml or the " +
        '`group-settings` input).');
}
/**
 * A Batch group: submit a job of the stage's job definition and wait for it (`submitJob.sync`). The
 * job gets the same Batch parameters as a job of the Batch target (src/plan/batch.ts), the run's
 * `run_id` and `runtime_params` (as JSON text) from the execution input, and the group's settings as
 * overrides. Its result is dropped (`ResultPath: null`). No Retry: Batch's retry strategy retries the
 * job when the infrastructure failed it; a Step Functions retry would submit a second job.
 */
function batchTask(group, { options, pipeline }, release) {
    const batch = options.batch;
    if (!batch)
        throw new errors/* PlanningError */.yL([batchProblem([group.name])]);
    const s = group.settings;
    const attempts = s.retries + 1;
    return {
        Type: 'Task',
        Resource: BATCH_SUBMIT_JOB_RESOURCE,
        Parameters: {
            JobName: group.names.batchJob,
            JobQueue: batch.jobQueue,
            JobDefinition: batch.jobDefinition,
            Parameters: {
                ...(0,plan_batch/* groupJobParameters */.JZ)(group, options.env, pipeline),
                'run_id.$': '$.run_id',
                'runtime_params.$': 'States.JsonToString($.runtime_params)',
            },
            ContainerOverrides: {
                ResourceRequirements: [
                    { Type: 'VCPU', Value: String(s.vcpus) },
                    { Type: 'MEMORY', Value: String(s.memory_mb) },
                ],
                ...(release.length > 0 ? { Environment: [{ Name: environment/* RELEASE_ENV */.Uw, Value: JSON.stringify(release) }] } : {}),
            },
            Timeout: { AttemptDurationSeconds: s.timeout_seconds },
            RetryStrategy: {
                Attempts: attempts,
                EvaluateOnExit: plan_batch/* INFRASTRUCTURE_RETRY */.$6.map((e) => ({
                    Action: e.action,
                    ...(e.onStatusReason === undefined ? {} : { OnStatusReason: e.onStatusReason }),
                    ...(e.onReason === undefined ? {} : { OnReason: e.onReason }),
                    ...(e.onExitCode === undefined ? {} : { OnExitCode: e.onExitCode }),
                })),
            },
        },
        ResultPath: null,
        TimeoutSeconds: attempts * (s.timeout_seconds + TASK_TIMEOUT_MARGIN_SECONDS) + BATCH_TASK_QUEUE_SECONDS,
    };
}
function lambdaTask(group, { options, pipeline }, release) {
    return {
        Type: 'Task',
        Resource: LAMBDA_INVOKE_RESOURCE,
        Parameters: {
            FunctionName: options.functionArn(group),
            Payload: {
                group: group.name,
                type: group.type,
                nodes: [...group.nodes],
                env: options.env,
                pipeline,
                ...(release.length > 0 ? { release: [...release] } : {}),
                'run_id.$': '$.run_id',
                'runtime_params.$': '$.runtime_params',
            },
        },
        ResultPath: null,
        TimeoutSeconds: group.settings.timeout_seconds + TASK_TIMEOUT_MARGIN_SECONDS,
        Retry: [LAMBDA_SERVICE_RETRY],
    };
}
/** The longest a group's Task can take, every attempt and retry delay included (what a gate after it allows for). */
function worstTaskSeconds(group, task) {
    if (group.settings.compute === 'batch')
        return task.TimeoutSeconds;
    const retry = LAMBDA_SERVICE_RETRY;
    return task.TimeoutSeconds * (1 + retry.MaxAttempts) + retry.MaxDelaySeconds * retry.MaxAttempts;
}
/** A gate's state name: the group's state name after "Gate " (the space keeps it apart from any group's). */
function gateStateName(groupState) {
    const name = `Gate ${groupState}`;
    if (name.length <= MAX_STATE_NAME_LENGTH)
        return name;
    const hash = (0,names/* nameHash */._N)([groupState]);
    return `Gate ${groupState.slice(0, MAX_STATE_NAME_LENGTH - 'Gate '.length - hash.length - 1)}-${hash}`;
}
/** The callback Task before a gated group (without Next): see "Gates" in the module comment. */
function gateTask(group, after, functionArn, timeoutSeconds) {
    return {
        Type: 'Task',
        Comment: `Opens when ${quotedList(after)} have all finished: the last of them to end sends the task token back.`,
        Resource: LAMBDA_CALLBACK_RESOURCE,
        Parameters: {
            FunctionName: functionArn,
            Payload: {
                gate: {
                    group: group.name,
                    after: [...after],
                    'run_id.$': '$.run_id',
                    'token.$': '$$.Task.Token',
                },
            },
        },
        ResultPath: null,
        TimeoutSeconds: timeoutSeconds,
        Retry: [LAMBDA_SERVICE_RETRY],
    };
}
function batchProblem(groups) {
    const which = groups.length === 1 ? `group ${(0,errors/* quoteList */.JN)(groups)} has` : `groups ${(0,errors/* quoteList */.JN)(groups)} have`;
    return (`${which} \`compute: batch\`, so the state machine needs an AWS Batch job queue and job definition for ` +
        `${groups.length === 1 ? 'it' : 'them'}: Batch groups arrive with the Batch target's settings (give the ` +
        '`batch-job-queue` and `batch-job-role-arn` inputs, and deploy registers the job definition), or set ' +
        '`compute: lambda` for them (in conf/<env>/kedro_aws.yml or the `group-settings` input).');
}
// ---------------------------------------------------------------------------------------------
// Emitting the structure.
function quotedList(names, max = 6) {
    if (names.length <= max)
        return (0,errors/* quoteList */.JN)(names);
    return `${names
        .slice(0, max)
        .map((n) => (0,errors/* quote */.hD)(n))
        .join(', ')} and ${names.length - max} more`;
}
/** Why the waits at one barrier were added, in a sentence (the same for every wait at that barrier). */
function barrierReason(schedule, barrier, witness) {
    const name = (i) => (0,errors/* quote */.hD)(schedule.names[i]);
    if (barrier.kind === 'level') {
        return (`schedule "levels" starts dependency level ${barrier.level} only when all of level ` +
            `${barrier.level - 1} has finished.`);
    }
    const groups = quotedList(barrier.groups.map((i) => schedule.names[i]));
    let why = 'they do not form a series-parallel graph, which nested sequences and Parallel states cannot express';
    if (witness) {
        const [a, b, c, d] = witness;
        why =
            `${name(c)} needs ${name(a)} and ${name(b)} while ${name(d)} needs ${name(b)} but not ${name(a)}, ` +
                'an N shape that nested sequences and Parallel states cannot express';
    }
    return barrier.kind === 'split'
        ? `among the groups ${groups}, ${why}; so they run in two steps, those below dependency level ` +
            `${barrier.level} first, then the others.`
        : `among the groups ${groups}, ${why}; the plan is too big to search for the best way to split them, ` +
            `so they run level by level (level ${barrier.level} after all those below it).`;
}
function barrierComment(barrier) {
    return barrier.kind === 'level'
        ? `Dependency level ${barrier.level}: starts when all of level ${barrier.level - 1} has finished.`
        : 'Synchronisation point: starts when all groups before it have finished, including some it does not ' +
            'depend on, because the group graph is not series-parallel here (see the sync points of the plan).';
}
class Emitter {
    groups;
    context;
    parallelName;
    gatePlan;
    names = new Map();
    used = new Set();
    parallels = 0;
    tasks = 0;
    /** Of `tasks`, those of Batch and SageMaker groups (`.sync` integrations: one more history event each). */
    batchTasks = 0;
    gates = 0;
    constructor(schedule, groups, context, parallelName, gatePlan = { gates: new Map(), release: new Map() }) {
        this.groups = groups;
        this.context = context;
        this.parallelName = parallelName;
        this.gatePlan = gatePlan;
        for (const group of groups)
            this.claim(group.names.state);
        for (const index of this.gatePlan.gates.keys())
            this.claim(this.gateName(index));
        this.nameParallels(schedule.root);
    }
    gateName(index) {
        return gateStateName(this.groups[index].names.state);
    }
    claim(name) {
        if (name.length === 0 || name.length > MAX_STATE_NAME_LENGTH || this.used.has(name)) {
            throw new Error(`internal: state name ${(0,errors/* quote */.hD)(name)} is empty, too long or used twice`);
        }
        this.used.add(name);
    }
    /** Parallel states are numbered in reading order (top to bottom, first branch first). */
    nameParallels(node) {
        if (node.kind === 'task')
            return;
        if (node.kind === 'parallel') {
            const name = this.parallelName(node, this.names.size + 1);
            this.claim(name);
            this.names.set(node, name);
            for (const branch of node.branches)
                this.nameParallels(branch);
            return;
        }
        for (const step of node.steps)
            this.nameParallels(step);
    }
    /** Add the states of `node` to `states`, the last one going on to `next` (or ending); returns the first. */
    emit(node, states, next, comment) {
        const onward = next === null ? { End: true } : { Next: next };
        const note = comment === undefined ? {} : { Comment: comment };
        switch (node.kind) {
            case 'task': {
                const group = this.groups[node.group];
                const { Type, ...rest } = groupTask(group, this.context, this.gatePlan.release.get(node.group) ?? []);
                const gate = this.gatePlan.gates.get(node.group);
                states[group.names.state] = { Type, ...(gate ? {} : note), ...rest, ...onward };
                this.tasks += 1;
                if (group.settings.compute !== 'lambda')
                    this.batchTasks += 1;
                if (!gate)
                    return group.names.state;
                const name = this.gateName(node.group);
                const { Type: gateType, Comment, ...gateRest } = gate;
                states[name] = { Type: gateType, Comment: comment ?? Comment, ...gateRest, Next: group.names.state };
                this.gates += 1;
                return name;
            }
            case 'parallel': {
                const name = this.names.get(node);
                const branches = node.branches.map((branch) => {
                    const branchStates = {};
                    const start = this.emit(branch, branchStates, null);
                    return { StartAt: start, States: branchStates };
                });
                states[name] = { Type: 'Parallel', ...note, Branches: branches, ResultPath: null, ...onward };
                this.parallels += 1;
                return name;
            }
            case 'sequence': {
                // Forward, so that the states appear in the JSON in the order they run.
                node.steps.forEach((step, i) => {
                    const following = node.steps[i + 1];
                    const barrier = i > 0 ? (node.joins[i - 1] ?? null) : null;
                    const stepComment = barrier ? barrierComment(barrier) : i === 0 ? comment : undefined;
                    this.emit(step, states, following ? this.startOf(following) : next, stepComment);
                });
                return this.startOf(node);
            }
        }
    }
    /** Name of the state a sub-schedule starts with. */
    startOf(node) {
        switch (node.kind) {
            case 'task':
                return this.gatePlan.gates.has(node.group)
                    ? this.gateName(node.group)
                    : this.groups[node.group].names.state;
            case 'parallel':
                return this.names.get(node);
            case 'sequence':
                return this.startOf(node.steps[0]);
        }
    }
}
// ---------------------------------------------------------------------------------------------
// The definition.
function firstTask(node) {
    switch (node.kind) {
        case 'task':
            return node.group;
        case 'parallel':
            return firstTask(node.branches[0]);
        case 'sequence':
            return firstTask(node.steps[0]);
    }
}
/** Problems with the Step Functions quotas, one sentence each (empty when within them). */
function quotaProblems(stats) {
    const problems = [];
    const fmt = (n) => n.toLocaleString('en-US');
    if (stats.bytes > MAX_DEFINITION_BYTES) {
        problems.push(`the state machine definition would be ${fmt(stats.bytes)} bytes, over the Step Functions limit of ` +
            `${fmt(MAX_DEFINITION_BYTES)} bytes (1 MiB) for a definition (${fmt(stats.tasks)} groups); deploy fewer, ` +
            'larger groups (pipeline-level namespaces) or a smaller pipeline (the `pipeline` input).');
    }
    if (stats.estimatedHistoryEvents > MAX_HISTORY_EVENTS) {
        problems.push(`a run would record about ${fmt(stats.estimatedHistoryEvents)} history events ` +
            `(${fmt(stats.tasks)} Task states × ${HISTORY_EVENTS.lambdaTask}, ` +
            (stats.gates ? `${fmt(stats.gates)} gates × ${HISTORY_EVENTS.callbackTask}, ` : '') +
            `${fmt(stats.parallels)} Parallel states × ` +
            `${HISTORY_EVENTS.parallel}, and ${HISTORY_EVENTS.execution} for the execution), over the Step Functions ` +
            `limit of ${fmt(MAX_HISTORY_EVENTS)} events per execution, which would fail the run part-way; deploy fewer, ` +
            'larger groups (pipeline-level namespaces) or a smaller pipeline (the `pipeline` input).');
    }
    return problems;
}
function payloadProblems(states) {
    const problems = [];
    for (const [name, state] of Object.entries(states)) {
        if (state.Type === 'Parallel') {
            for (const branch of state.Branches)
                problems.push(...payloadProblems(branch.States));
            continue;
        }
        const bytes = Buffer.byteLength(JSON.stringify(state.Parameters), 'utf8');
        if (bytes > MAX_STATE_PAYLOAD_BYTES) {
            problems.push(`the Lambda payload of state ${(0,errors/* quote */.hD)(name)} would be ${bytes.toLocaleString('en-US')} bytes before the ` +
                `run's parameters are added, over the Step Functions limit of ${MAX_STATE_PAYLOAD_BYTES.toLocaleString('en-US')} ` +
                'bytes for a state input; split the group into smaller namespaces.');
        }
    }
    return problems;
}
/**
 * The gates' states and who releases them. A gate allows for the longest its groups can take: the
 * heaviest chain of worst-case Task times (every retry included) before it, plus the margin.
 */
function planGates(groups, gates, context) {
    if (gates.length === 0)
        return { gates: new Map(), release: new Map() };
    const index = new Map(groups.map((g, i) => [g.name, i]));
    // Latest a group can have finished after the execution started (groups come in dependency order).
    const latest = [];
    groups.forEach((group, i) => {
        const before = Math.max(0, ...group.dependencies.map((d) => latest[index.get(d)]));
        latest[i] = before + worstTaskSeconds(group, groupTask(group, context, []));
    });
    const offLambda = gates.map((g) => groups[g.group]).filter((g) => g.settings.compute !== 'lambda');
    const batchGated = offLambda.map((g) => g.name);
    const computes = [...new Set(offLambda.map((g) => g.settings.compute))].join(' or ');
    const gateFunction = context.options.gateFunctionArn;
    if (batchGated.length > 0 && !gateFunction) {
        throw new errors/* PlanningError */.yL([
            `schedule "exact" puts ${batchGated.length === 1 ? 'group' : 'groups'} ${(0,errors/* quoteList */.JN)(batchGated)} (compute: ` +
                `${computes}) behind a gate, which needs a Lambda function of the stage to open it, and the plan has no Lambda ` +
                'group; set `compute: lambda` for one group (in conf/<env>/kedro_aws.yml or the `group-settings` input), ' +
                'or use schedule "dag".',
        ]);
    }
    const states = new Map();
    const release = new Map();
    for (const gate of gates) {
        const group = groups[gate.group];
        const after = gate.after.map((i) => groups[i].name);
        const waitAtMost = Math.max(...gate.after.map((i) => latest[i])) + GATE_MARGIN_SECONDS;
        const functionArn = group.settings.compute === 'lambda' ? context.options.functionArn(group) : gateFunction;
        states.set(gate.group, gateTask(group, after, functionArn, Math.min(MAX_GATE_TIMEOUT_SECONDS, waitAtMost)));
        for (const i of gate.after)
            release.set(i, [...(release.get(i) ?? []), group.name]);
    }
    return { gates: states, release };
}
function syncPoints(schedule) {
    const reasons = new Map();
    return schedule.extraWaits.map(({ waiter, waitsFor, barrier, witness }) => {
        let reason = reasons.get(barrier);
        if (reason === undefined) {
            reason = barrierReason(schedule, barrier, witness);
            reasons.set(barrier, reason);
        }
        return { waiter: schedule.names[waiter], waitsFor: schedule.names[waitsFor], reason };
    });
}
/**
 * Build the state machine definition of a plan.
 *
 * @throws PlanningError for groups with `compute: batch` when `options.batch` is not given (with
 *   `compute: sagemaker`, `options.sagemaker`), a gated Batch or SageMaker group without
 *   `options.gateFunctionArn`, a SageMaker group that would have to open a gate, a definition over
 *   1 MiB, an execution history estimated over 25,000 events, or a Task payload over 256 KiB; every
 *   problem found is listed.
 */
function buildDefinition(plan, options) {
    const choice = options.schedule ?? DEFAULT_SCHEDULE;
    if (choice !== 'auto')
        return buildShape(plan, options, choice);
    try {
        return buildShape(plan, options, 'exact');
    }
    catch (error) {
        if (!(error instanceof errors/* PlanningError */.yL))
            throw error;
        // What refuses exact and not dag: a gated Batch or SageMaker group without a Lambda function to
        // open its gate, or the gates' history events and bytes past a quota. Anything else refuses dag too.
        return { ...buildShape(plan, options, 'dag'), fallback: error.problems };
    }
}
function buildShape(plan, options, kind) {
    const groups = plan.groups;
    if (groups.length === 0)
        throw new errors/* PlanningError */.yL(['the plan has no groups, so there is nothing to deploy.']);
    const batch = groups.filter((g) => g.settings.compute === 'batch').map((g) => g.name);
    if (batch.length > 0 && !options.batch)
        throw new errors/* PlanningError */.yL([batchProblem(batch)]);
    const sagemaker = groups.filter((g) => g.settings.compute === 'sagemaker').map((g) => g.name);
    if (sagemaker.length > 0 && !options.sagemaker)
        throw new errors/* PlanningError */.yL([sagemakerProblem(sagemaker)]);
    const input = groups.map((g) => ({ name: g.name, dependencies: g.dependencies }));
    const schedule = kind === 'levels' ? levelSchedule(input) : kind === 'exact' ? exactSchedule(input) : dagSchedule(input);
    const gatePlan = planGates(groups, schedule.gates, { options, pipeline: plan.pipeline });
    // Group state names are [A-Za-z0-9_-] only: the space in these keeps them from ever clashing with one.
    const parallelName = kind === 'levels'
        ? (node) => `Level ${schedule.levels[firstTask(node)] ?? 0}`
        : (_node, ordinal) => `Parallel ${ordinal}`;
    const emitter = new Emitter(schedule, groups, { options, pipeline: plan.pipeline }, parallelName, gatePlan);
    const states = {};
    const startAt = emitter.emit(schedule.root, states, null);
    const definition = {
        Comment: `Kedro project ${options.packageName}, pipeline ${plan.pipeline}, conf env ${options.env}: ` +
            `${groups.length} group${groups.length === 1 ? '' : 's'}, schedule "${kind}". Generated by kedro-aws-action.`,
        StartAt: startAt,
        States: states,
    };
    const json = JSON.stringify(definition);
    const tasks = emitter.tasks;
    const parallels = emitter.parallels;
    const batchTasks = emitter.batchTasks;
    const gates = emitter.gates;
    const estimatedHistoryEvents = HISTORY_EVENTS.execution +
        (tasks - batchTasks) * HISTORY_EVENTS.lambdaTask +
        batchTasks * HISTORY_EVENTS.syncTask +
        gates * HISTORY_EVENTS.callbackTask +
        parallels * HISTORY_EVENTS.parallel;
    const stats = {
        bytes: Buffer.byteLength(json, 'utf8'),
        states: tasks + gates + parallels,
        tasks,
        parallels,
        gates,
        estimatedHistoryEvents,
        worstCaseHistoryEvents: estimatedHistoryEvents +
            (tasks - batchTasks + gates) * LAMBDA_SERVICE_RETRY.MaxAttempts * HISTORY_EVENTS.retryAttempt,
        syncPoints: syncPoints(schedule),
        extraWaits: schedule.extraWaitCount,
    };
    const problems = [...quotaProblems(stats), ...payloadProblems(states)];
    if (problems.length > 0)
        throw new errors/* PlanningError */.yL(problems);
    return { definition, json, stats, schedule: kind };
}


/***/ }),

/***/ 2011:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $Q: () => (/* binding */ clip),
/* harmony export */   a3: () => (/* binding */ formatDuration),
/* harmony export */   fU: () => (/* binding */ formatTime),
/* harmony export */   h9: () => (/* binding */ durationBetween),
/* harmony export */   kU: () => (/* binding */ truncateMiddle),
/* harmony export */   vd: () => (/* binding */ isValidDate),
/* harmony export */   wV: () => (/* binding */ readableCause),
/* harmony export */   z3: () => (/* binding */ formatBytes)
/* harmony export */ });
/* unused harmony export CAUSE_LIMITS */
/**
 * Numbers, times and long texts as a person reads them in the job summary: durations, sizes, UTC
 * times, failure causes (Lambda's JSON error, Batch's job description) and the cutting of long texts.
 * Pure and deterministic: never reads the clock; every time is shown in UTC.
 */
/** `850 ms`, `4.2 s`, `42 s`, `1m 05s`, `2h 03m`, `1d 02h`; `—` for a negative or unknown duration. */
function formatDuration(ms) {
    if (!Number.isFinite(ms) || ms < 0)
        return '—';
    if (ms < 1000)
        return `${Math.round(ms)} ms`;
    if (ms < 10_000)
        return `${(Math.floor(ms / 100) / 10).toFixed(1)} s`;
    const seconds = Math.round(ms / 1000);
    if (seconds < 60)
        return `${seconds} s`;
    const pad = (n) => String(n).padStart(2, '0');
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60)
        return `${minutes}m ${pad(seconds % 60)}s`;
    const hours = Math.floor(minutes / 60);
    if (hours < 24)
        return `${hours}h ${pad(minutes % 60)}m`;
    return `${Math.floor(hours / 24)}d ${pad(hours % 24)}h`;
}
/** The time between two dates, or `—` when one is missing or the end is before the start. */
function durationBetween(start, end) {
    if (!isValidDate(start) || !isValidDate(end))
        return '—';
    return formatDuration(end.getTime() - start.getTime());
}
const SIZE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
/** `0 B`, `512 B`, `1.5 KiB`, `12.3 MiB`, `153 MiB` (binary units); `—` when unknown. */
function formatBytes(bytes) {
    if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0)
        return '—';
    if (bytes < 1024)
        return `${Math.round(bytes)} B`;
    let value = bytes;
    let unit = 0;
    for (value = bytes / 1024; value >= 1024 && unit < SIZE_UNITS.length - 1; unit++)
        value /= 1024;
    return `${value < 100 ? value.toFixed(1) : value.toFixed(0)} ${SIZE_UNITS[unit]}`;
}
function isValidDate(date) {
    return date instanceof Date && Number.isFinite(date.getTime());
}
/**
 * A UTC time: `23:54:07` when it falls on the same UTC day as `day` (the run's first start), else
 * `2025-11-21 23:54:07`; `—` when unknown.
 */
function formatTime(date, day) {
    if (!isValidDate(date))
        return '—';
    const iso = date.toISOString();
    const datePart = iso.slice(0, 10);
    const timePart = iso.slice(11, 19);
    if (isValidDate(day) && day.toISOString().slice(0, 10) === datePart)
        return timePart;
    return `${datePart} ${timePart}`;
}
/** `text` cut to `max` characters with an ellipsis (counting code points, so no emoji is split). */
function clip(text, max) {
    const chars = Array.from(text);
    return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}
const CAUSE_LIMITS = { maxLines: 40, headLines: 6, maxChars: 4000, maxLineChars: 300 };
/**
 * Keeps the first and the last lines of a long text and says how many were left out in between;
 * cuts lines that are too long. The end is kept longer than the start: a Python traceback ends with
 * the exception.
 */
function truncateMiddle(text, options = CAUSE_LIMITS) {
    let cutLines = false;
    const lines = text
        .replace(/\r\n?/g, '\n')
        .replace(/\n+$/, '')
        .split('\n')
        .map((line) => {
        const cut = clip(line, options.maxLineChars);
        if (cut !== line)
            cutLines = true;
        return cut;
    });
    const size = (ls) => ls.reduce((n, l) => n + l.length + 1, 0);
    if (lines.length <= options.maxLines && size(lines) <= options.maxChars) {
        return { text: lines.join('\n'), omittedLines: 0, truncated: cutLines };
    }
    const headCharBudget = Math.floor((options.maxChars * options.headLines) / options.maxLines);
    const head = [];
    let used = 0;
    for (const line of lines) {
        if (head.length >= options.headLines || used + line.length + 1 > headCharBudget)
            break;
        head.push(line);
        used += line.length + 1;
    }
    const tail = [];
    for (let i = lines.length - 1; i >= head.length; i--) {
        const line = lines[i] ?? '';
        if (head.length + tail.length >= options.maxLines - 1 || used + line.length + 1 > options.maxChars)
            break;
        tail.unshift(line);
        used += line.length + 1;
    }
    const omitted = lines.length - head.length - tail.length;
    const marker = `… ${omitted} line${omitted === 1 ? '' : 's'} left out …`;
    return { text: [...head, marker, ...tail].join('\n'), omittedLines: omitted, truncated: true };
}
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** A property by name, whatever its case (Step Functions passes Batch's description in PascalCase). */
function prop(object, name) {
    const key = Object.keys(object).find((k) => k.toLowerCase() === name.toLowerCase());
    return key === undefined ? undefined : object[key];
}
function str(value) {
    if (typeof value === 'string' && value.trim() !== '')
        return value;
    if (typeof value === 'number' && Number.isFinite(value))
        return String(value);
    return undefined;
}
/** A Lambda error payload: `{errorType, errorMessage, stackTrace}` (Python gives the trace as strings). */
function lambdaCause(json) {
    const type = str(prop(json, 'errorType'));
    const message = str(prop(json, 'errorMessage'));
    if (type === undefined && message === undefined)
        return undefined;
    const trace = prop(json, 'stackTrace');
    const frames = Array.isArray(trace)
        ? trace.map((frame) => Array.isArray(frame)
            ? `  File "${String(frame[0])}", line ${String(frame[1])}, in ${String(frame[2])}\n    ${String(frame[3] ?? '')}`
            : String(frame).replace(/\n+$/, ''))
        : [];
    const last = [type, message].filter((part) => part !== undefined).join(': ');
    const text = frames.length > 0 ? ['Traceback (most recent call last):', ...frames, last].join('\n') : last;
    return { ...(message === undefined ? {} : { message }), text };
}
/** A Batch job description, as `batch:submitJob.sync` puts it in the cause of a failed task. */
function batchCause(json) {
    const reason = str(prop(json, 'statusReason'));
    const container = prop(json, 'container');
    if (reason === undefined && !isObject(container))
        return undefined;
    const lines = [];
    const add = (label, value) => {
        if (value !== undefined)
            lines.push(`${label}: ${value}`);
    };
    add('Job', str(prop(json, 'jobName')));
    add('Job id', str(prop(json, 'jobId')));
    add('Status', str(prop(json, 'status')));
    add('Status reason', reason);
    if (isObject(container)) {
        add('Exit code', str(prop(container, 'exitCode')));
        add('Container reason', str(prop(container, 'reason')));
        add('Log stream', str(prop(container, 'logStreamName')));
    }
    const attempts = prop(json, 'attempts');
    if (Array.isArray(attempts) && attempts.length > 1)
        add('Attempts', String(attempts.length));
    return { ...(reason === undefined ? {} : { message: reason }), text: lines.join('\n') };
}
/**
 * A SageMaker training job's description, as `sagemaker:createTrainingJob.sync` puts it in the cause of
 * a failed task: the job, its status and secondary status, and why (FailureReason, which the group entry
 * fills from the group's error, or the last status message, e.g. a max runtime exceeded).
 */
function sagemakerCause(json) {
    const job = str(prop(json, 'TrainingJobName'));
    const status = str(prop(json, 'TrainingJobStatus'));
    if (job === undefined || status === undefined)
        return undefined;
    const transitions = prop(json, 'SecondaryStatusTransitions');
    const last = Array.isArray(transitions) ? transitions.at(-1) : undefined;
    const lastMessage = isObject(last) ? str(prop(last, 'StatusMessage')) : undefined;
    const reason = str(prop(json, 'FailureReason')) ?? lastMessage;
    const lines = [];
    const add = (label, value) => {
        if (value !== undefined)
            lines.push(`${label}: ${value}`);
    };
    add('Training job', job);
    add('Status', [status, str(prop(json, 'SecondaryStatus'))].filter((s) => s !== undefined).join(' / '));
    add('Failure reason', str(prop(json, 'FailureReason')));
    if (lastMessage !== undefined && lastMessage !== str(prop(json, 'FailureReason')))
        add('Last status', lastMessage);
    const resources = prop(json, 'ResourceConfig');
    if (isObject(resources))
        add('Instance', str(prop(resources, 'InstanceType')));
    return { ...(reason === undefined ? {} : { message: reason }), text: lines.join('\n') };
}
/**
 * A failure cause as a person reads it: a Lambda error payload becomes a Python-style traceback
 * ending with `ErrorType: message`; a Batch job description becomes its status reason, exit code and
 * log stream; a SageMaker training job's, its status and failure reason; other JSON is indented; plain
 * text stays as it is.
 */
function readableCause(cause) {
    const trimmed = cause.trim();
    if (trimmed.startsWith('{')) {
        let json;
        try {
            json = JSON.parse(trimmed);
        }
        catch {
            json = undefined;
        }
        if (isObject(json)) {
            return lambdaCause(json) ?? batchCause(json) ?? sagemakerCause(json) ?? { text: JSON.stringify(json, null, 2) };
        }
    }
    return { text: trimmed };
}


/***/ }),

/***/ 3303:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Dd: () => (/* binding */ trainingJobLogs),
/* harmony export */   Jl: () => (/* binding */ SAGEMAKER_TRAINING_LOG_GROUP),
/* harmony export */   Yf: () => (/* binding */ trainingJobConsoleUrl),
/* harmony export */   bm: () => (/* binding */ executionConsoleUrl),
/* harmony export */   jW: () => (/* binding */ lambdaLogGroup),
/* harmony export */   ld: () => (/* binding */ logStreamConsoleUrl),
/* harmony export */   or: () => (/* binding */ batchJobConsoleUrl),
/* harmony export */   pe: () => (/* binding */ stateMachineConsoleUrl),
/* harmony export */   sM: () => (/* binding */ logGroupConsoleUrl),
/* harmony export */   yC: () => (/* binding */ arnRegion)
/* harmony export */ });
/** Console deep links, with the console host of the ARN's partition (China, GovCloud). Pure. */
function consoleHost(region) {
    if (region.startsWith('cn-'))
        return `https://${region}.console.amazonaws.cn`;
    if (region.startsWith('us-gov-'))
        return `https://${region}.console.amazonaws-us-gov.com`;
    return `https://${region}.console.aws.amazon.com`;
}
/** The region field of an ARN (arn:partition:service:region:account:...). */
function arnRegion(arn) {
    return arn.split(':')[3] ?? '';
}
function executionConsoleUrl(executionArn) {
    const region = arnRegion(executionArn);
    return `${consoleHost(region)}/states/home?region=${region}#/v2/executions/details/${executionArn}`;
}
function stateMachineConsoleUrl(stateMachineArn) {
    const region = arnRegion(stateMachineArn);
    return `${consoleHost(region)}/states/home?region=${region}#/statemachines/view/${stateMachineArn}`;
}
function lambdaLogGroup(functionName) {
    return `/aws/lambda/${functionName}`;
}
function logGroupConsoleUrl(region, logGroup) {
    const encoded = encodeURIComponent(encodeURIComponent(logGroup)).replace(/%/g, '$');
    return `${consoleHost(region)}/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${encoded}`;
}
function batchJobConsoleUrl(region, jobId) {
    return `${consoleHost(region)}/batch/home?region=${region}#jobs/detail/${jobId}`;
}
function logStreamConsoleUrl(region, logGroup, stream) {
    const encoded = encodeURIComponent(encodeURIComponent(stream)).replace(/%/g, '$');
    return `${logGroupConsoleUrl(region, logGroup)}/log-events/${encoded}`;
}
/** The log group of every SageMaker training job of the account and region. */
const SAGEMAKER_TRAINING_LOG_GROUP = '/aws/sagemaker/TrainingJobs';
function trainingJobConsoleUrl(region, jobName) {
    return `${consoleHost(region)}/sagemaker/home?region=${region}#/jobs/${encodeURIComponent(jobName)}`;
}
/**
 * Where a training job's logs are: its streams `<job>/algo-1-<epoch>` (one per instance) in the training
 * jobs' log group; the link opens the group filtered to the job's streams.
 */
function trainingJobLogs(region, jobName) {
    const prefix = `${jobName}/`;
    const encoded = encodeURIComponent(encodeURIComponent(prefix)).replace(/%/g, '$');
    return {
        group: SAGEMAKER_TRAINING_LOG_GROUP,
        stream: `${prefix}algo-1-*`,
        url: `${logGroupConsoleUrl(region, SAGEMAKER_TRAINING_LOG_GROUP)}$3FlogStreamNameFilter$3D${encoded}`,
    };
}


/***/ }),

/***/ 4285:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Pl: () => (/* binding */ safeUrl),
/* harmony export */   X1: () => (/* binding */ escapeText),
/* harmony export */   aY: () => (/* binding */ code),
/* harmony export */   nf: () => (/* binding */ link),
/* harmony export */   tp: () => (/* binding */ table),
/* harmony export */   zH: () => (/* binding */ details),
/* harmony export */   zW: () => (/* binding */ fencedBlock)
/* harmony export */ });
/* unused harmony exports oneLine, escapeHtml */
/**
 * GitHub-flavoured markdown building blocks for the job summary: text that cannot break out of where
 * it is put (a table cell, a heading, a code span, a fenced block, a link). Pure.
 *
 * Everything that comes from a user's project or from AWS (group and dataset names, S3 keys, error
 * messages, causes) goes through one of these; only our own fixed words are written raw.
 */
/** Newlines, tabs and other control characters become one space (a table row is one line). */
function oneLine(text) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes.
    return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
}
/**
 * Plain text, shown as written, safe inside a paragraph, a heading or a table cell (never at the start
 * of a line, where `#`, `-` or `1.` would start a block: callers put a fixed word first): the
 * punctuation that means something inline is backslash-escaped (emphasis, code, links, strike-through,
 * table pipes), `<`, `>` and `&` become entities (no HTML gets through), and newlines become spaces.
 */
function escapeText(text) {
    return oneLine(text)
        .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;');
}
/**
 * A code span holding `text` literally: the fence is one backtick longer than the longest run of
 * backticks inside, newlines become spaces, and `|` is escaped so that the span is also safe in a table
 * cell (GitHub removes the backslash inside a cell, as its table extension specifies).
 */
function code(text) {
    const body = oneLine(text).replace(/\|/g, '\\|');
    if (body === '')
        return '` `';
    const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
    const fence = '`'.repeat(longest + 1);
    // A span that starts or ends with a backtick, or with a space, needs padding (CommonMark strips one).
    const pad = /^[` ]|[` ]$/.test(body) ? ' ' : '';
    return `${fence}${pad}${body}${pad}${fence}`;
}
/** A fenced code block holding `text` literally (the fence is longer than any backtick run in it). */
function fencedBlock(text, language = 'text') {
    const longest = Math.max(0, ...(text.match(/`{3,}/g) ?? []).map((run) => run.length));
    const fence = '`'.repeat(Math.max(3, longest + 1));
    const body = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '');
    return `${fence}${language}\n${body}\n${fence}`;
}
/**
 * The URL if it is an http(s) URL, made safe inside `[...](...)`: spaces, parentheses, `<`, `>` and
 * `|` are percent-encoded. Anything else (a `javascript:` URL, an empty string) gives undefined.
 */
function safeUrl(url) {
    if (url === undefined)
        return undefined;
    const trimmed = url.trim();
    if (!/^https?:\/\/[^\s]+$/i.test(trimmed))
        return undefined;
    return trimmed.replace(/[()<>|"'\\`]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
/**
 * A link whose text is already markdown (escaped by the caller), or the text alone when the URL is
 * missing or not http(s).
 */
function link(markdownText, url) {
    const safe = safeUrl(url);
    return safe === undefined ? markdownText : `[${markdownText}](${safe})`;
}
/** A table; cells are markdown already escaped by the caller (with {@link escapeText} or {@link code}). */
function table(header, rows) {
    const line = (cells) => `| ${cells.map((c) => (c === '' ? ' ' : c)).join(' | ')} |`;
    return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}
/**
 * A collapsible section. `summaryHtml` is inline HTML-safe text (escape it with {@link escapeHtml});
 * the body is markdown, which GitHub renders because of the blank lines around it.
 */
function details(summaryHtml, bodyMarkdown, open = false) {
    return `<details${open ? ' open' : ''}><summary>${summaryHtml}</summary>\n\n${bodyMarkdown}\n\n</details>`;
}
/** Text safe inside an HTML element such as `<summary>` (on one line). */
function escapeHtml(text) {
    return oneLine(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}


/***/ }),

/***/ 9409:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Hm: () => (/* binding */ renderFlowchart),
/* harmony export */   v7: () => (/* binding */ MERMAID_LIMITS)
/* harmony export */ });
/* unused harmony exports STATUS_CLASSES, mermaidLabel, nodeId */
/**
 * The group graph as a mermaid `flowchart LR`, one node per group, coloured by status. Pure.
 *
 * Node ids are ours (`g0`, `g1`, ... by position), never the group names, so no name can clash with a
 * mermaid keyword (`end`, `graph`, `class`, ...) or hold a character an id cannot. Names go only into
 * double-quoted labels, where mermaid's lexer ends the string at the next `"`; the characters that
 * would still be read as something else are written as mermaid entity codes (`#quot;`, `#35;`...),
 * which mermaid turns back into the characters when it draws:
 *
 * - `"` would end the label;
 * - `#` starts an entity code (`#35;`) of its own;
 * - `<`, `>`, `&` would be read as HTML (mermaid draws labels as HTML);
 * - `` ` `` starts a markdown label;
 * - `\` followed by `n` is read as a line break;
 * - `%` could make `%%{...}%%`, a directive that mermaid finds anywhere in the text;
 * - control characters and line breaks (a statement ends at a new line) become spaces.
 */
/** The mermaid class of each status, and its colours (readable in GitHub's light and dark themes). */
const STATUS_CLASSES = {
    SUCCEEDED: { name: 'succeeded', style: 'fill:#dafbe1,stroke:#1a7f37,color:#0d1117' },
    FAILED: { name: 'failed', style: 'fill:#ffebe9,stroke:#cf222e,color:#0d1117,stroke-width:2px' },
    RUNNING: { name: 'running', style: 'fill:#ddf4ff,stroke:#0969da,color:#0d1117' },
    PENDING: { name: 'pending', style: 'fill:#eaeef2,stroke:#8c959f,color:#0d1117' },
    SKIPPED: { name: 'skipped', style: 'fill:#eaeef2,stroke:#8c959f,color:#57606a' },
};
const STATUS_ORDER = ['SUCCEEDED', 'FAILED', 'RUNNING', 'PENDING', 'SKIPPED'];
/** GitHub's mermaid refuses a diagram of more than 50,000 characters or 500 edges; stay well inside. */
const MERMAID_LIMITS = { maxChars: 40_000, maxEdges: 500 };
/** Longest label drawn; the full name is in the table. */
const MAX_LABEL_CHARS = 80;
const ENTITY = {
    '"': '#quot;',
    '#': '#35;',
    '&': '#amp;',
    '<': '#lt;',
    '>': '#gt;',
    '`': '#96;',
    '\\': '#92;',
    '%': '#37;',
};
/** Text safe inside a double-quoted mermaid label (see the module comment), cut to 80 characters. */
function mermaidLabel(text) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes.
    const flat = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
    const chars = Array.from(flat);
    const cut = chars.length > MAX_LABEL_CHARS ? [...chars.slice(0, MAX_LABEL_CHARS - 1), '…'] : chars;
    return cut.map((c) => ENTITY[c] ?? c).join('');
}
/** The mermaid id of the node at index `i`. */
function nodeId(i) {
    return `g${i}`;
}
/**
 * `flowchart LR`: the nodes in the order given, then the edges (dependency --> dependant, each once),
 * then one `classDef` and one `class` line per status present.
 */
function renderFlowchart(nodes) {
    const lines = ['flowchart LR'];
    for (const [i, node] of nodes.entries())
        lines.push(`  ${nodeId(i)}["${mermaidLabel(node.label)}"]`);
    const seen = new Set();
    nodes.forEach((node, i) => {
        for (const d of node.dependsOn) {
            const key = `${d}>${i}`;
            if (d === i || d < 0 || d >= nodes.length || seen.has(key))
                continue;
            seen.add(key);
            lines.push(`  ${nodeId(d)} --> ${nodeId(i)}`);
        }
    });
    for (const status of STATUS_ORDER) {
        const ids = nodes.flatMap((node, i) => (node.status === status ? [nodeId(i)] : []));
        if (ids.length === 0)
            continue;
        const cls = STATUS_CLASSES[status];
        lines.push(`  classDef ${cls.name} ${cls.style}`);
        lines.push(`  class ${ids.join(',')} ${cls.name}`);
    }
    return { text: lines.join('\n'), edges: seen.size };
}


/***/ }),

/***/ 7994:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Br: () => (/* binding */ renderSummary),
/* harmony export */   G3: () => (/* binding */ uncheckedSection),
/* harmony export */   WC: () => (/* binding */ reportGroupsFromPlan),
/* harmony export */   YN: () => (/* binding */ summaryVerdict),
/* harmony export */   cI: () => (/* binding */ reportFromVerify)
/* harmony export */ });
/* unused harmony exports SUMMARY_LIMITS, reportOutputsFromVerify, uncheckedKind */
/* harmony import */ var _format__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2011);
/* harmony import */ var _markdown__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4285);
/* harmony import */ var _mermaid__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9409);



const SUMMARY_LIMITS = {
    graphOpenMaxGroups: 40,
    tableOpenMaxRows: 20,
    tableMaxRows: 250,
    causeOpenMaxLines: 12,
    uncheckedMaxShown: 20,
};
/** A dataset name or a reason in the "Not checked" list is cut to this many characters. */
const UNCHECKED_MAX_CHARS = 200;
/** Most kinds of reason counted in the "Not checked" title (verify gives three). */
const UNCHECKED_MAX_KINDS = 5;
const BAD_VERDICTS = new Set(['not-written', 'overwritten', 'missing', 'empty']);
/** A failed check in the verdict line. */
const VERDICT_WORDS = {
    'not-written': 'not written by this run',
    overwritten: 'overwritten since',
    missing: 'missing',
    empty: 'empty',
};
const VERDICT_LABEL = {
    ok: '✅ ok',
    'not-written': '❌ not written by this run',
    overwritten: '❌ overwritten after this run wrote it',
    missing: '❌ missing',
    empty: '❌ empty',
    'local-path': '⚠️ local path, not checked',
};
/** The groups of a deployment plan, all PENDING: the report before anything ran. */
function reportGroupsFromPlan(plan) {
    return plan.groups.map((g) => ({
        name: g.name,
        dependencies: [...g.reducedDependencies],
        compute: g.settings.compute,
        ...(g.settings.compute === 'sagemaker' ? { instanceType: g.settings.instance_type, spot: g.settings.spot } : {}),
        status: 'PENDING',
    }));
}
/** The checks of `verify` (src/verify/expected.ts: `url`, ISO `lastModified`) as the summary's outputs. */
function reportOutputsFromVerify(checks) {
    return checks.map((c) => {
        const lastModified = c.lastModified === undefined ? undefined : new Date(c.lastModified);
        return {
            dataset: c.dataset,
            key: c.url,
            verdict: c.verdict,
            ...(c.size === undefined ? {} : { size: c.size }),
            ...((0,_format__WEBPACK_IMPORTED_MODULE_0__/* .isValidDate */ .vd)(lastModified) ? { lastModified } : {}),
            ...(c.detail && c.verdict !== 'ok' ? { detail: c.detail } : {}),
        };
    });
}
/** What verify found, as the report's `outputs` and `unchecked` (nothing when verify did not run). */
function reportFromVerify(checks, unchecked) {
    if (checks === undefined)
        return {};
    return { outputs: reportOutputsFromVerify(checks), ...(unchecked?.length ? { unchecked: [...unchecked] } : {}) };
}
/**
 * The kind of a reason verify gives (src/verify/expected.ts): its words before the first `(` or `:`
 * (`in memory`, `local`, `not matched by input "expect"`); the whole reason when it has neither.
 */
function uncheckedKind(reason) {
    const kind = /^[^(:]*/.exec(reason)?.[0].trim() ?? '';
    return kind === '' ? reason : kind;
}
/**
 * The outputs verify did not check: a title with their number and how many of each kind (markdown,
 * without a heading mark), and a list, one line a dataset with its reason, grouped by kind (in the
 * order kinds first appear), at most `maxShown` lines and a last one counting the rest. Undefined when
 * every output was checked. Names and reasons are cut to 200 characters before they are escaped (an
 * escaped character takes at most 5: `&amp;`), so a line takes at most about 1,500 characters and the
 * section `maxShown` times that, whatever the project: the job summary (1 MiB a step) and the comment
 * (65,536 characters) stay within GitHub's limits.
 */
function uncheckedSection(unchecked, maxShown) {
    if (!unchecked || unchecked.length === 0)
        return undefined;
    const kinds = new Map();
    for (const u of unchecked) {
        const kind = uncheckedKind(u.reason);
        const same = kinds.get(kind);
        if (same)
            same.push(u);
        else
            kinds.set(kind, [u]);
    }
    const counts = [...kinds]
        .slice(0, UNCHECKED_MAX_KINDS)
        .map(([kind, items]) => `${items.length} ${(0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .escapeText */ .X1)((0,_format__WEBPACK_IMPORTED_MODULE_0__/* .clip */ .$Q)(kind, 80))}`);
    if (kinds.size > UNCHECKED_MAX_KINDS)
        counts.push(`${kinds.size - UNCHECKED_MAX_KINDS} other reasons`);
    const ordered = [...kinds.values()].flat();
    const shown = ordered.slice(0, Math.max(0, maxShown));
    const lines = shown.map((u) => `- ${(0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .code */ .aY)((0,_format__WEBPACK_IMPORTED_MODULE_0__/* .clip */ .$Q)(u.dataset, UNCHECKED_MAX_CHARS))}: ${(0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .escapeText */ .X1)((0,_format__WEBPACK_IMPORTED_MODULE_0__/* .clip */ .$Q)(u.reason, UNCHECKED_MAX_CHARS))}`);
    const left = ordered.length - shown.length;
    if (left > 0)
        lines.push(`- … and ${left} more (the log and the verify report list them all)`);
    return { title: `Not checked (${unchecked.length}): ${counts.join(', ')}`, list: lines.join('\n') };
}
function finished(report) {
    return report.status !== 'RUNNING';
}
/** Icon and word of a group's status; PENDING reads "not run" once the run has ended. */
function statusParts(status, runFinished) {
    switch (status) {
        case 'SUCCEEDED':
            return { icon: '✅', word: 'succeeded' };
        case 'FAILED':
            return { icon: '❌', word: 'failed' };
        case 'RUNNING':
            return { icon: '🔄', word: 'running' };
        case 'SKIPPED':
            return { icon: '⏭️', word: 'skipped' };
        case 'PENDING':
            return runFinished ? { icon: '⏸️', word: 'not run' } : { icon: '⏳', word: 'pending' };
    }
}
function statusLabel(status, runFinished) {
    const { icon, word } = statusParts(status, runFinished);
    return `${icon} ${word}`;
}
function countGroups(report) {
    const order = ['SUCCEEDED', 'FAILED', 'RUNNING', 'PENDING', 'SKIPPED'];
    const parts = order.flatMap((status) => {
        const n = report.groups.filter((g) => g.status === status).length;
        return n === 0 ? [] : [`${n} ${statusParts(status, finished(report)).word}`];
    });
    return parts.join(', ');
}
function plural(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}
function namesList(names, max = 3) {
    const shown = names.slice(0, max).map(_markdown__WEBPACK_IMPORTED_MODULE_2__/* .code */ .aY).join(', ');
    return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}
/**
 * The verdict the summary shows: passed when the run succeeded and no output checked is missing,
 * empty, not written by this run or overwritten since (an output on a local path cannot be checked: it is reported, not failed);
 * running while the run has not ended; failed otherwise.
 */
function summaryVerdict(report) {
    const total = report.groups.length;
    const failure = report.failure;
    // The failure's group, or else the group the report shows as failed.
    const failedGroup = failure?.group ?? report.groups.find((g) => g.status === 'FAILED')?.name;
    const inGroup = failedGroup === undefined ? '' : ` in group ${(0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .code */ .aY)(failedGroup)}`;
    const withError = failure?.error ? ` with ${(0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .code */ .aY)((0,_format__WEBPACK_IMPORTED_MODULE_0__/* .clip */ .$Q)(failure.error, 80))}` : '';
    switch (report.status) {
        case 'RUNNING': {
            const done = report.groups.filter((g) => g.status === 'SUCCEEDED').length;
            return { outcome: 'running', icon: '⏳', reason: `still running: ${done} of ${plural(total, 'group')} done` };
        }
        case 'FAILED':
            return { outcome: 'failed', icon: '❌', reason: `the run failed${inGroup}${withError}` };
        case 'PENDING_REDRIVE':
            return { outcome: 'failed', icon: '❌', reason: `the run failed${inGroup}${withError} (it can be redriven)` };
        case 'TIMED_OUT':
            return { outcome: 'failed', icon: '❌', reason: `the run timed out${inGroup}` };
        case 'ABORTED':
            return { outcome: 'failed', icon: '❌', reason: `the run was stopped${inGroup}` };
        case 'SUCCEEDED':
            break;
    }
    const groupsPart = total === 0 ? 'the run succeeded' : total === 1 ? 'the group succeeded' : `all ${total} groups succeeded`;
    const outputs = report.outputs;
    if (outputs === undefined)
        return { outcome: 'passed', icon: '✅', reason: `${groupsPart} (outputs not checked)` };
    const bad = outputs.filter((o) => BAD_VERDICTS.has(o.verdict));
    if (bad.length > 0) {
        const byVerdict = ['not-written', 'overwritten', 'missing', 'empty'].flatMap((v) => {
            const names = bad.filter((o) => o.verdict === v).map((o) => o.dataset);
            return names.length === 0 ? [] : [`${VERDICT_WORDS[v]}: ${namesList(names)}`];
        });
        return {
            outcome: 'failed',
            icon: '❌',
            reason: `the run succeeded but ${bad.length} of ${plural(outputs.length, 'output')} failed the check (${byVerdict.join('; ')})`,
        };
    }
    const ok = outputs.filter((o) => o.verdict === 'ok').length;
    const local = outputs.length - ok;
    const outputsPart = outputs.length === 0
        ? 'no outputs to check'
        : `${plural(ok, 'output')} verified${local > 0 ? `, ${local} on a local path not checked` : ''}`;
    const notChecked = report.unchecked?.length ? `, ${report.unchecked.length} not checked` : '';
    return { outcome: 'passed', icon: '✅', reason: `${groupsPart}, ${outputsPart}${notChecked}` };
}
const TARGET_LABEL = {
    'step-functions': 'Step Functions',
    batch: 'AWS Batch',
};
/**
 * When the first group started: its UTC day is the day the tables' times are on (a time on another
 * day is shown with its date).
 */
function firstStart(report) {
    const starts = report.groups.map((g) => g.start).filter(_format__WEBPACK_IMPORTED_MODULE_0__/* .isValidDate */ .vd);
    return starts.length === 0 ? undefined : new Date(Math.min(...starts.map((d) => d.getTime())));
}
function executionLine(report, started) {
    const parts = [
        `Run ${(0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .code */ .aY)(report.runId)}`,
        `${TARGET_LABEL[report.target]}${report.executor === 'local' ? ' (groups run locally)' : ''}`,
        `env ${(0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .code */ .aY)(report.env)}`,
    ];
    if (started)
        parts.push(`started ${(0,_format__WEBPACK_IMPORTED_MODULE_0__/* .formatTime */ .fU)(started)} UTC`);
    if (report.execution) {
        const name = report.execution.arn.split(':').pop() ?? report.execution.arn;
        parts.push(`execution ${(0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .link */ .nf)((0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .code */ .aY)(name), report.execution.consoleUrl)}`);
    }
    return parts.join(' · ');
}
function hasOwn(record, key) {
    return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}
/** The log group, linked; with `short`, the word "logs" when there is a link to put it on. */
function logsMarkdown(logs, short) {
    if (!logs)
        return '';
    const label = short !== undefined && (0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .safeUrl */ .Pl)(logs.url) !== undefined ? short : (0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .code */ .aY)(logs.group);
    return (0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .link */ .nf)(label, logs.url);
}
/** The job id, linked; with `short`, the word "job" when there is a link to put it on. */
function jobMarkdown(job, short) {
    if (!job)
        return '';
    const label = short !== undefined && (0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .safeUrl */ .Pl)(job.consoleUrl) !== undefined ? short : (0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .code */ .aY)(job.jobId);
    return (0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .link */ .nf)(label, job.consoleUrl);
}
function failureSection(report, limits) {
    const failure = report.failure;
    if (!failure)
        return [];
    const group = failure.group === undefined ? undefined : report.groups.find((g) => g.name === failure.group);
    const logs = failure.logs ?? group?.logs;
    const job = failure.group === undefined ? undefined : hasOwn(report.jobs, failure.group);
    const cause = (0,_format__WEBPACK_IMPORTED_MODULE_0__/* .readableCause */ .wV)(failure.cause);
    const title = failure.group === undefined ? '#### ❌ Failure' : `#### ❌ Failure in group ${(0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .code */ .aY)(failure.group)}`;
    const message = cause.message === undefined ? '' : `: ${(0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .escapeText */ .X1)((0,_format__WEBPACK_IMPORTED_MODULE_0__/* .clip */ .$Q)(cause.message, 200))}`;
    const bullets = [`- **Error:** ${(0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .code */ .aY)((0,_format__WEBPACK_IMPORTED_MODULE_0__/* .clip */ .$Q)(failure.error || '(none given)', 200))}${message}`];
    if (logs) {
        const stream = logs.stream === undefined ? '' : `, stream ${(0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .code */ .aY)(logs.stream)}`;
        bullets.push(`- **Logs:** ${logsMarkdown(logs)}${stream}`);
    }
    if (job)
        bullets.push(`- **Job:** ${jobMarkdown(job)}`);
    const lines = [title, '', ...bullets, ''];
    if (cause.text === '') {
        lines.push('No cause was given.');
        return lines;
    }
    const cut = (0,_format__WEBPACK_IMPORTED_MODULE_0__/* .truncateMiddle */ .kU)(cause.text);
    const block = (0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .fencedBlock */ .zW)(cut.text);
    const note = cut.truncated ? `\n\n<sub>Cut to fit: the full text is in the logs.</sub>` : '';
    const lineCount = cut.text.split('\n').length;
    if (lineCount <= limits.causeOpenMaxLines)
        lines.push(`${block}${note}`);
    else
        lines.push((0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .details */ .zH)(`Cause (${lineCount} lines)`, `${block}${note}`));
    return lines;
}
function graphSection(report, limits) {
    const index = new Map();
    report.groups.forEach((g, i) => {
        if (!index.has(g.name))
            index.set(g.name, i);
    });
    const runFinished = finished(report);
    const chart = (0,_mermaid__WEBPACK_IMPORTED_MODULE_1__/* .renderFlowchart */ .Hm)(report.groups.map((g) => ({
        label: `${statusParts(g.status, runFinished).icon} ${g.name}`,
        status: g.status,
        dependsOn: g.dependencies.flatMap((d) => {
            const i = index.get(d);
            return i === undefined ? [] : [i];
        }),
    })));
    if (chart.edges > _mermaid__WEBPACK_IMPORTED_MODULE_1__/* .MERMAID_LIMITS */ .v7.maxEdges || chart.text.length > _mermaid__WEBPACK_IMPORTED_MODULE_1__/* .MERMAID_LIMITS */ .v7.maxChars) {
        const edges = `${chart.edges} ${chart.edges === 1 ? 'dependency' : 'dependencies'}`;
        return [
            `<sub>The graph of ${plural(report.groups.length, 'group')} and ${edges} is too large for a mermaid diagram; the table lists every group.</sub>`,
        ];
    }
    const block = (0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .fencedBlock */ .zW)(chart.text, 'mermaid');
    if (report.groups.length > limits.graphOpenMaxGroups) {
        return [(0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .details */ .zH)(`Graph of ${plural(report.groups.length, 'group')}`, block)];
    }
    return [block];
}
const COMPUTE_LABEL = { lambda: 'Lambda', batch: 'Batch', sagemaker: 'SageMaker' };
/** Where a group ran: `Lambda`, `Batch`, or `SageMaker` with its instance type (and spot). */
function computeLabel(g) {
    const label = COMPUTE_LABEL[g.compute];
    if (g.compute !== 'sagemaker' || g.instanceType === undefined)
        return label;
    return `${label} ${(0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .code */ .aY)(g.instanceType)}${g.spot ? ' (spot)' : ''}`;
}
function groupsTable(report, day, limits) {
    const runFinished = finished(report);
    const shown = report.groups.slice(0, limits.tableMaxRows);
    const rows = shown.map((g) => {
        const links = [jobMarkdown(hasOwn(report.jobs, g.name), 'job'), logsMarkdown(g.logs, 'logs')].filter((l) => l !== '');
        const duration = g.status === 'RUNNING' && !(0,_format__WEBPACK_IMPORTED_MODULE_0__/* .isValidDate */ .vd)(g.end) ? 'running' : (0,_format__WEBPACK_IMPORTED_MODULE_0__/* .durationBetween */ .h9)(g.start, g.end);
        return [
            (0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .code */ .aY)(g.name),
            statusLabel(g.status, runFinished),
            (0,_format__WEBPACK_IMPORTED_MODULE_0__/* .formatTime */ .fU)(g.start, day),
            (0,_format__WEBPACK_IMPORTED_MODULE_0__/* .formatTime */ .fU)(g.end, day),
            duration,
            computeLabel(g),
            links.join(' · '),
        ];
    });
    const body = [(0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .table */ .tp)(['Group', 'Status', 'Start (UTC)', 'End', 'Duration', 'Compute', 'Links'], rows)];
    const left = report.groups.length - shown.length;
    if (left > 0)
        body.push(`\n<sub>… and ${plural(left, 'more group')} not listed.</sub>`);
    const text = body.join('\n');
    if (report.groups.length > limits.tableOpenMaxRows)
        return [(0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .details */ .zH)(`Table of ${plural(report.groups.length, 'group')}`, text)];
    return [text];
}
function outputsSection(report, day, limits) {
    const outputs = report.outputs;
    if (outputs === undefined)
        return [];
    if (outputs.length === 0)
        return ['#### Outputs', '', 'No persisted outputs to check.'];
    const counts = ['ok', 'not-written', 'overwritten', 'missing', 'empty', 'local-path'].flatMap((v) => {
        const n = outputs.filter((o) => o.verdict === v).length;
        const word = v === 'ok' ? 'ok' : v === 'local-path' ? 'on a local path' : VERDICT_WORDS[v];
        return n === 0 ? [] : [`${n} ${word}`];
    });
    const anyBad = outputs.some((o) => o.verdict !== 'ok');
    // When rows must be left out, the ones with a problem come first so that none of them is lost.
    const ordered = outputs.length > limits.tableMaxRows
        ? [...outputs.filter((o) => o.verdict !== 'ok'), ...outputs.filter((o) => o.verdict === 'ok')]
        : outputs;
    const shown = ordered.slice(0, limits.tableMaxRows);
    const rows = shown.map((o) => [
        (0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .code */ .aY)(o.dataset),
        (0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .code */ .aY)(o.key),
        (0,_format__WEBPACK_IMPORTED_MODULE_0__/* .formatBytes */ .z3)(o.size),
        (0,_format__WEBPACK_IMPORTED_MODULE_0__/* .formatTime */ .fU)(o.lastModified, day),
        `${VERDICT_LABEL[o.verdict]}${o.detail ? `: ${(0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .escapeText */ .X1)((0,_format__WEBPACK_IMPORTED_MODULE_0__/* .clip */ .$Q)(o.detail, 200))}` : ''}`,
    ]);
    const body = [(0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .table */ .tp)(['Dataset', 'Written to', 'Size', 'Modified (UTC)', 'Check'], rows)];
    const left = outputs.length - shown.length;
    if (left > 0)
        body.push(`\n<sub>… and ${plural(left, 'more output')} not listed.</sub>`);
    const text = body.join('\n');
    const heading = `#### Outputs: ${counts.join(', ')}`;
    if (outputs.length > limits.tableOpenMaxRows && !anyBad) {
        return [heading, '', (0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .details */ .zH)(`Table of ${plural(outputs.length, 'output')}`, text)];
    }
    return [heading, '', text];
}
/** The job summary of a run, as markdown (ends with a newline). */
function renderSummary(report, limits = SUMMARY_LIMITS) {
    const verdict = summaryVerdict(report);
    const started = firstStart(report);
    const heading = `### ${verdict.icon} ${(0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .escapeText */ .X1)(report.project)} · ${(0,_markdown__WEBPACK_IMPORTED_MODULE_2__/* .escapeText */ .X1)(report.stage)}: ${verdict.reason}`;
    const sections = [[heading, '', executionLine(report, started)], failureSection(report, limits)];
    if (report.groups.length > 0) {
        sections.push([
            `#### Groups: ${countGroups(report)}`,
            '',
            ...graphSection(report, limits),
            '',
            ...groupsTable(report, started, limits),
        ]);
    }
    sections.push(outputsSection(report, started, limits));
    const unchecked = uncheckedSection(report.unchecked, limits.uncheckedMaxShown);
    if (unchecked)
        sections.push([`#### ${unchecked.title}`, '', unchecked.list]);
    return `${sections
        .filter((s) => s.length > 0)
        .map((s) => s.join('\n'))
        .join('\n\n')}\n`;
}


/***/ }),

/***/ 5482:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  I: () => (/* binding */ deployBatch)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js
var core = __webpack_require__(7484);
// EXTERNAL MODULE: ./src/aws/batch.ts
var batch = __webpack_require__(4469);
// EXTERNAL MODULE: ./src/context/common.ts
var common = __webpack_require__(9518);
// EXTERNAL MODULE: ./src/context/image.ts
var context_image = __webpack_require__(9330);
// EXTERNAL MODULE: ./src/context/outputs.ts
var outputs = __webpack_require__(9413);
// EXTERNAL MODULE: ./src/context/state.ts
var state = __webpack_require__(9186);
// EXTERNAL MODULE: ./src/inputs/index.ts
var inputs = __webpack_require__(9901);
// EXTERNAL MODULE: ./src/lib/errors.ts
var errors = __webpack_require__(7268);
// EXTERNAL MODULE: ./src/plan/batch.ts
var plan_batch = __webpack_require__(9319);
;// CONCATENATED MODULE: ./src/plan/batch-architecture.ts
/** The image platform (`linux/amd64`, `linux/arm64`) as Batch names its architecture. */
function cpuArchitectureOf(platform) {
    if (platform === 'linux/arm64')
        return 'ARM64';
    if (platform === 'linux/amd64')
        return 'X86_64';
    throw new Error(`internal: no CPU architecture for platform ${platform}`);
}
/** How a message says an architecture: `arm64 (Graviton)`, `x86_64`. */
function said(architecture) {
    return architecture === 'ARM64' ? 'arm64 (Graviton)' : 'x86_64';
}
/** The page that lists what `instanceTypes` may name. */
const INSTANCE_TYPES_PAGE = 'https://docs.aws.amazon.com/batch/latest/APIReference/API_ComputeResource.html';
/** The page that says Fargate Spot runs no ARM64 job. */
const FARGATE_SPOT_ARM64_PAGE = 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html';
/**
 * The architecture of an `instanceTypes` entry: `optimal`, `default_x86_64`, `default_arm64`, a family
 * (`m6g`) or a size (`c7g.large`). Undefined for an entry it cannot read (checked nowhere, so never refused).
 */
function instanceTypeArchitecture(entry) {
    const type = entry.trim().toLowerCase();
    if (type === 'optimal' || type === 'default_x86_64')
        return 'X86_64';
    if (type === 'default_arm64')
        return 'ARM64';
    const family = type.split('.')[0];
    if (family === 'a1')
        return 'ARM64';
    // High memory `u-6tb1` (x86); Mac instances, of either architecture and not for Batch: not read.
    if (/^u-\d+tb\d+$/.test(family))
        return 'X86_64';
    if (family.startsWith('mac'))
        return undefined;
    // <series letters><generation digits><attribute letters>[-<more>]: m6g, c7gn, r6idn, m7i-flex, u7i-12tb.
    const parts = /^([a-z]+)(\d+)([a-z]*)(?:-[a-z0-9]+)*$/.exec(family);
    if (!parts)
        return undefined;
    return parts[3].includes('g') ? 'ARM64' : 'X86_64';
}
/** The architecture of a compute environment's instance types: one, both (`mixed`), or unknown. */
function environmentArchitecture(types) {
    const known = new Set(types.map(instanceTypeArchitecture));
    if (known.has(undefined) || known.size === 0)
        return undefined;
    if (known.size > 1)
        return 'mixed';
    return [...known][0];
}
/**
 * Whether jobs of an image of `architecture` can run on the job queue `queue` whose compute environments
 * are `environments` (on `platform`): refused when none of them can (a Fargate queue of FARGATE_SPOT
 * only with ARM64; an EC2 queue whose instance types are all of the other architecture), a warning when
 * some of them cannot. Compute environments without instance types (unmanaged ones) say nothing.
 */
function queueArchitectureProblems(queue, platform, environments, image) {
    const architecture = cpuArchitectureOf(image.platform);
    const imageSaid = `the image ${image.uri} is ${image.platform}`;
    if (platform === 'FARGATE') {
        if (architecture !== 'ARM64')
            return { problems: [], warnings: [] };
        const spot = environments.filter((e) => e.resourcesType === 'FARGATE_SPOT').map((e) => e.name);
        if (spot.length === 0)
            return { problems: [], warnings: [] };
        const which = `compute environment${spot.length > 1 ? 's' : ''} ${spot.join(', ')}: FARGATE_SPOT`;
        if (spot.length === environments.length) {
            return {
                problems: [
                    `job queue ${queue} runs its jobs on Fargate Spot only (${which}), which runs no ARM64 job (a queue of ` +
                        `Fargate Spot only is blocked by one, ${FARGATE_SPOT_ARM64_PAGE}), and ${imageSaid}: give a job queue ` +
                        "with a FARGATE compute environment (the bootstrap's BatchComputeType: FARGATE), or build with " +
                        '"platform: linux/amd64"',
                ],
                warnings: [],
            };
        }
        return {
            problems: [],
            warnings: [
                `job queue ${queue} has Fargate Spot capacity (${which}), which runs no ARM64 job (${FARGATE_SPOT_ARM64_PAGE}); ` +
                    `${imageSaid}, so its jobs run on the queue's FARGATE compute environments only`,
            ],
        };
    }
    const other = [];
    const partly = [];
    let checked = 0;
    for (const e of environments) {
        const types = e.instanceTypes ?? [];
        const arch = types.length ? environmentArchitecture(types) : undefined;
        if (arch === undefined)
            continue;
        checked += 1;
        const described = `${e.name}: instance types ${types.join(', ')}`;
        if (arch === 'mixed')
            partly.push(described);
        else if (arch !== architecture)
            other.push(described);
    }
    const instead = architecture === 'ARM64' ? 'X86_64' : 'ARM64';
    const fix = `build with "platform: ${architecture === 'ARM64' ? 'linux/amd64' : 'linux/arm64'}", or give a job queue of ` +
        `${said(architecture)} instances (the bootstrap's BatchArchitecture: ${architecture === 'ARM64' ? 'arm64' : 'x86_64'})`;
    if (checked > 0 && other.length === checked && checked === environments.length) {
        return {
            problems: [
                `job queue ${queue} launches only ${said(instead)} instances (compute environment${other.length > 1 ? 's' : ''} ` +
                    `${other.join('; ')}; ${INSTANCE_TYPES_PAGE}), and ${imageSaid}, whose jobs would fail to start there: ${fix}`,
            ],
            warnings: [],
        };
    }
    const warnings = [];
    if (other.length > 0) {
        warnings.push(`job queue ${queue} has compute environments of ${said(instead)} instances only (${other.join('; ')}), and ` +
            `${imageSaid}: a job placed there fails to start`);
    }
    if (partly.length > 0) {
        warnings.push(`job queue ${queue} has compute environments of both architectures (${partly.join('; ')}), and ${imageSaid}: ` +
            `a job placed on an ${said(instead)} instance fails to start`);
    }
    return { problems: [], warnings };
}

// EXTERNAL MODULE: ./src/plan/errors.ts
var plan_errors = __webpack_require__(9516);
// EXTERNAL MODULE: ./src/targets/batch/platform.ts
var batch_platform = __webpack_require__(5502);
;// CONCATENATED MODULE: ./src/targets/batch/deploy.ts
/**
 * Deploy, target batch: a revision of the stage's job definition for the image and for the platform
 * of the job queue (EC2 or Fargate: one job definition per platform per stage), registered only when
 * the latest ACTIVE one differs. Also used by target step-functions for its `compute: batch` groups.
 * Settings the platform refuses (vCPUs and memory), and a queue whose capacity cannot run the image's
 * architecture, are refused before anything changes.
 */












/** Registers the stage's job definition unless the latest ACTIVE revision already matches; outputs its ARN. */
async function deployBatch(ctx, options = {}) {
    const { plan, deployment } = (0,common/* loadPlan */.Yq)(ctx);
    const imageUri = (0,common/* required */.mw)(ctx, state/* STATE */.c4.imageUri, 'mode "build"');
    const jobRoleArn = options.jobRoleArn ?? ctx.inputs.batchJobRoleArn;
    if (!jobRoleArn) {
        throw new errors/* ActionError */.l(`input "${inputs/* INPUT */.bO.batchJobRoleArn}" is required by mode "deploy" with target batch: the IAM role the jobs run as ` +
            '(it needs the S3 access of the datasets)');
    }
    const client = options.client ?? ctx.aws().batch;
    const platform = await (0,batch_platform/* batchPlatform */.C)(ctx, client, options.jobQueue ?? ctx.inputs.batchJobQueue, 'deploy');
    const executionRoleArn = ctx.inputs.batchExecutionRoleArn;
    if (platform.platform === 'FARGATE' && !executionRoleArn) {
        throw new errors/* ActionError */.l(`input "${inputs/* INPUT */.bO.batchExecutionRoleArn}" is required by mode "deploy" when the Batch jobs run on Fargate ` +
            `(${platform.why}): the IAM role ECS pulls the image and writes the jobs' logs with (the bootstrap's ` +
            'BatchExecutionRoleArn output)');
    }
    // The queue's capacity must run the image's architecture (Fargate Spot runs no ARM64 job; an EC2
    // instance runs only images of its own): refused before anything changes. Only a queue that was read
    // says it; with "batch-platform" given, the queue is not read.
    const image = { uri: imageUri, platform: (0,context_image/* imagePlatform */.Ht)(ctx, imageUri) };
    if (platform.queue) {
        const check = queueArchitectureProblems(platform.queue.name, platform.platform, platform.queue.environments, image);
        for (const warning of check.warnings)
            core.warning(warning);
        if (check.problems.length > 0)
            throw new errors/* ActionError */.l(check.problems.join('\n'));
    }
    // Settings Batch would refuse are refused now, before anything is changed.
    const onBatch = options.forStateMachine
        ? deployment.groups.filter((g) => g.settings.compute === 'batch')
        : deployment.groups;
    const problems = (0,plan_batch/* batchSettingsProblems */.Wf)(onBatch, platform);
    if (problems.length > 0)
        throw new plan_errors/* PlanningError */.yL(problems);
    const joins = options.forStateMachine ? 0 : (0,plan_batch/* buildJobGraph */.mp)(deployment, platform).joins;
    const spec = (0,plan_batch/* jobDefinitionSpec */.Ty)(deployment, {
        imageUri,
        jobRoleArn,
        packageName: plan.project.package_name,
        recordsUrl: (0,common/* stageRecords */.tY)(ctx, { plan, deployment }).url,
        tags: (0,common/* stageTags */.gd)(ctx, deployment),
        platform: platform.platform,
        ...(executionRoleArn ? { executionRoleArn } : {}),
        assignPublicIp: ctx.inputs.batchAssignPublicIp,
        cpuArchitecture: cpuArchitectureOf(image.platform),
    });
    const result = await (0,batch/* ensureJobDefinition */.lF)(client, spec);
    const what = result.change === 'updated' ? ` (${result.differences.join(', ')})` : '';
    core.info(`Job definition ${spec.jobDefinitionName} (${platform.platform}${platform.platform === 'FARGATE' ? `, ${cpuArchitectureOf(image.platform)}` : ''}) revision ${result.revision} ${result.change}${what}: ` +
        result.arn);
    core.info(`  ${onBatch.length} group(s) will run as jobs of it` +
        (joins ? `, with ${joins} join job(s) for dependencies beyond 20 per job` : ''));
    ctx.remember({ [state/* STATE */.c4.jobDefinitionArn]: result.arn });
    ctx.setOutput(outputs/* OUTPUT */.a.jobDefinitionArn, result.arn);
    return result;
}


/***/ }),

/***/ 5502:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   C: () => (/* binding */ batchPlatform)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7484);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(_actions_core__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _aws_batch__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4469);
/* harmony import */ var _inputs__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9901);
/* harmony import */ var _lib_errors__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7268);
/**
 * Where the Batch jobs of a stage run, EC2 or Fargate: the `batch-platform` input when it says, else
 * the platform of the job queue (read from AWS: its type, or its compute environments). Deploy
 * registers the job definition of that platform; run builds the jobs' resources for it.
 */




/** The platform of `queue` (or the input's); `mode` names the step in the error when neither is given. */
async function batchPlatform(ctx, client, queue, mode) {
    const given = ctx.inputs.batchPlatform;
    if (given === 'ec2' || given === 'fargate') {
        return { platform: given === 'ec2' ? 'EC2' : 'FARGATE', why: `the "${_inputs__WEBPACK_IMPORTED_MODULE_2__/* .INPUT */ .bO.batchPlatform}" input` };
    }
    if (!queue) {
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_3__/* .ActionError */ .l(`input "${_inputs__WEBPACK_IMPORTED_MODULE_2__/* .INPUT */ .bO.batchJobQueue}" is required by mode "${mode}" with target batch: its compute environments ` +
            `say whether the jobs run on EC2 or Fargate, which the job definition must suit (or set "${_inputs__WEBPACK_IMPORTED_MODULE_2__/* .INPUT */ .bO.batchPlatform}" ` +
            'to ec2 or fargate)');
    }
    const choice = await (0,_aws_batch__WEBPACK_IMPORTED_MODULE_1__/* .describeQueuePlatform */ .Eh)(client, queue);
    _actions_core__WEBPACK_IMPORTED_MODULE_0__.info(`Batch jobs run on ${choice.platform}: ${choice.why}`);
    return choice;
}


/***/ }),

/***/ 8731:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   A: () => (/* binding */ deployStateMachine)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7484);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(_actions_core__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _aws_config__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7589);
/* harmony import */ var _aws_lambda__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5974);
/* harmony import */ var _aws_stepfunctions__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7738);
/* harmony import */ var _context_common__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9518);
/* harmony import */ var _context_image__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(9330);
/* harmony import */ var _context_outputs__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(9413);
/* harmony import */ var _context_state__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(9186);
/* harmony import */ var _inputs__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(9901);
/* harmony import */ var _lib_errors__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(7268);
/* harmony import */ var _plan_environment__WEBPACK_IMPORTED_MODULE_14__ = __webpack_require__(2582);
/* harmony import */ var _plan_names__WEBPACK_IMPORTED_MODULE_10__ = __webpack_require__(2471);
/* harmony import */ var _plan_statemachine__WEBPACK_IMPORTED_MODULE_11__ = __webpack_require__(1662);
/* harmony import */ var _report_links__WEBPACK_IMPORTED_MODULE_15__ = __webpack_require__(3303);
/* harmony import */ var _batch_deploy__WEBPACK_IMPORTED_MODULE_12__ = __webpack_require__(5482);
/* harmony import */ var _sagemaker__WEBPACK_IMPORTED_MODULE_13__ = __webpack_require__(3634);
/**
 * Deploy, target step-functions: one Lambda function per group from the image, then the state machine
 * whose waiting follows the group graph. Compares before writing: a redeploy with nothing changed makes
 * no mutating call. Removes the functions of groups that no longer exist in this stage. Groups that say
 * `compute: batch` run as Batch jobs of the same machine: their job definition is deployed first.
 * Groups that say `compute: sagemaker` run as SageMaker training jobs the machine creates: nothing to
 * deploy for them but their Task (sagemaker.ts).
 */
















function requireRole(value, input, what) {
    if (!value)
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_9__/* .ActionError */ .l(`input "${input}" is required by mode "deploy": the IAM role ${what}`);
    return value;
}
/** Deploys the stage; returns the console URL of the state machine (the environment URL of the deployment). */
async function deployStateMachine(ctx, { plan, deployment }) {
    const { inputs } = ctx;
    // Groups that say `compute: batch` run as Batch jobs from the same machine: their job definition first.
    const onBatch = deployment.groups.filter((g) => g.settings.compute === 'batch');
    let batch;
    if (onBatch.length > 0) {
        if (!inputs.batchJobQueue) {
            throw new _lib_errors__WEBPACK_IMPORTED_MODULE_9__/* .ActionError */ .l(`input "batch-job-queue" is required: group(s) ${onBatch.map((g) => g.name).join(', ')} say compute: batch`);
        }
        const definition = await (0,_batch_deploy__WEBPACK_IMPORTED_MODULE_12__/* .deployBatch */ .I)(ctx, { forStateMachine: true });
        batch = { jobQueue: inputs.batchJobQueue, jobDefinition: definition.arn };
    }
    const imageUri = (0,_context_common__WEBPACK_IMPORTED_MODULE_4__/* .required */ .mw)(ctx, _context_state__WEBPACK_IMPORTED_MODULE_7__/* .STATE */ .c4.imageUri, 'mode "build"');
    const lambdaRole = requireRole(inputs.lambdaRoleArn, _inputs__WEBPACK_IMPORTED_MODULE_8__/* .INPUT */ .bO.lambdaRoleArn, 'the Lambda functions run as');
    const sfnRole = requireRole(inputs.sfnRoleArn, _inputs__WEBPACK_IMPORTED_MODULE_8__/* .INPUT */ .bO.sfnRoleArn, 'the state machine runs as');
    const sagemaker = (0,_sagemaker__WEBPACK_IMPORTED_MODULE_13__/* .sagemakerOptions */ .Jv)(ctx, { plan, deployment }, { roleArn: inputs.sagemakerRoleArn, imageUri, region: (0,_aws_config__WEBPACK_IMPORTED_MODULE_1__/* .resolveRegion */ .Zv)(inputs.awsRegion, ctx.env) });
    const { lambda, sfn } = ctx.aws();
    const tags = (0,_context_common__WEBPACK_IMPORTED_MODULE_4__/* .stageTags */ .gd)(ctx, deployment);
    const recordsUrl = (0,_context_common__WEBPACK_IMPORTED_MODULE_4__/* .stageRecords */ .tY)(ctx, { plan, deployment }).url;
    const sha = tags['kedro-aws:git-sha'];
    const platform = (0,_context_image__WEBPACK_IMPORTED_MODULE_5__/* .imagePlatform */ .Ht)(ctx, imageUri);
    const architecture = platform === 'linux/arm64' ? 'arm64' : 'x86_64';
    _actions_core__WEBPACK_IMPORTED_MODULE_0__.info(`Deploying ${deployment.groups.length} Lambda function(s) from ${imageUri} (${architecture})`);
    const arns = {};
    const created = [];
    try {
        for (const group of deployment.groups.filter((g) => g.settings.compute === 'lambda')) {
            const result = await (0,_aws_lambda__WEBPACK_IMPORTED_MODULE_2__/* .ensureFunction */ .fq)(lambda, {
                name: group.names.lambdaFunction,
                imageUri,
                architecture,
                roleArn: lambdaRole,
                memoryMb: group.settings.memory_mb,
                timeoutSeconds: group.settings.timeout_seconds,
                description: `Kedro ${plan.project.package_name} group ${group.name} (${deployment.stage})`.slice(0, 256),
                environment: (0,_plan_environment__WEBPACK_IMPORTED_MODULE_14__/* .groupEnvironment */ .bj)({ packageName: plan.project.package_name, env: deployment.env, recordsUrl }),
                tags,
            });
            arns[group.name] = result.arn;
            if (result.change === 'created')
                created.push(result.name);
            const what = result.change === 'updated' ? ` (${result.differences.join(', ')})` : '';
            const woken = result.readiness === 'reactivated' ? ' (it was Inactive, idle: reactivated)' : '';
            _actions_core__WEBPACK_IMPORTED_MODULE_0__.info(`  ${group.name}: ${result.name} ${result.change}${what}${woken}`);
        }
    }
    catch (error) {
        // Say what is left behind, so a failed deploy is never a silent half-deploy.
        const left = Object.keys(arns);
        const note = left.length
            ? `\nDeployed before the failure: ${left.join(', ')} (the state machine was not changed).`
            : '\nNothing was changed.';
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_9__/* .ActionError */ .l(`${error.message}${note}`);
    }
    // A group moved to Batch gives up its function too.
    const keep = new Set(deployment.groups.filter((g) => g.settings.compute === 'lambda').map((g) => g.names.lambdaFunction));
    const removed = await (0,_aws_lambda__WEBPACK_IMPORTED_MODULE_2__/* .removeStaleFunctions */ .nM)(lambda, {
        keep,
        // Functions of this stage start with <project>-<stage> (tags decide; the prefix only narrows the look).
        namePrefix: commonPrefix([...keep, `${(0,_plan_names__WEBPACK_IMPORTED_MODULE_10__/* .awsName */ .py)('lambda', [deployment.project, deployment.stage])}-`]),
        ownerTags: (0,_context_common__WEBPACK_IMPORTED_MODULE_4__/* .ownerTags */ .Dh)(deployment),
    });
    for (const name of removed)
        _actions_core__WEBPACK_IMPORTED_MODULE_0__.info(`  removed ${name} (its group is no longer in the pipeline)`);
    const built = (0,_plan_statemachine__WEBPACK_IMPORTED_MODULE_11__/* .buildDefinition */ ._H)(deployment, {
        schedule: inputs.schedule,
        env: deployment.env,
        packageName: plan.project.package_name,
        functionArn: (group) => arns[group.name],
        // Schedule exact: a gated Batch group's gate runs on a Lambda group's function (any does).
        ...(Object.keys(arns).length > 0 ? { gateFunctionArn: Object.values(arns)[0] } : {}),
        ...(batch ? { batch } : {}),
        ...(sagemaker ? { sagemaker } : {}),
    });
    (0,_context_common__WEBPACK_IMPORTED_MODULE_4__/* .logSchedule */ .gF)(built);
    const machine = await (0,_aws_stepfunctions__WEBPACK_IMPORTED_MODULE_3__/* .ensureStateMachine */ .b5)(sfn, {
        name: deployment.names.stateMachine,
        definition: built.json,
        roleArn: sfnRole,
        tags,
        versionDescription: `kedro-aws-action ${deployment.stage} at ${sha}`.slice(0, 256),
    });
    if (machine.versionError)
        _actions_core__WEBPACK_IMPORTED_MODULE_0__.debug(machine.versionError);
    const what = machine.change === 'updated' ? ` (${machine.differences.join(', ')})` : '';
    _actions_core__WEBPACK_IMPORTED_MODULE_0__.info(`State machine ${deployment.names.stateMachine} ${machine.change}${what}: ${(0,_report_links__WEBPACK_IMPORTED_MODULE_15__/* .stateMachineConsoleUrl */ .pe)(machine.arn)}`);
    ctx.remember({ [_context_state__WEBPACK_IMPORTED_MODULE_7__/* .STATE */ .c4.stateMachineArn]: machine.arn });
    ctx.setOutput(_context_outputs__WEBPACK_IMPORTED_MODULE_6__/* .OUTPUT */ .a.stateMachineArn, machine.arn);
    ctx.setOutput(_context_outputs__WEBPACK_IMPORTED_MODULE_6__/* .OUTPUT */ .a.stateMachineVersionArn, machine.versionArn ?? '');
    ctx.setOutput(_context_outputs__WEBPACK_IMPORTED_MODULE_6__/* .OUTPUT */ .a.lambdaFunctionArns, JSON.stringify(arns));
    return (0,_report_links__WEBPACK_IMPORTED_MODULE_15__/* .stateMachineConsoleUrl */ .pe)(machine.arn);
}
function commonPrefix(names) {
    if (names.length === 0)
        return '';
    let prefix = names[0];
    for (const n of names)
        while (!n.startsWith(prefix))
            prefix = prefix.slice(0, -1);
    return prefix;
}


/***/ }),

/***/ 3634:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Jv: () => (/* binding */ sagemakerOptions)
/* harmony export */ });
/* unused harmony exports SAGEMAKER_OUTPUT_FOLDER, sagemakerGroups */
/* harmony import */ var _build_layout__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2268);
/* harmony import */ var _context_common__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9518);
/* harmony import */ var _inputs__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9901);
/* harmony import */ var _lib_errors__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7268);
/* harmony import */ var _plan_environment__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2582);
/**
 * Target step-functions, the groups that say `compute: sagemaker`: what their training jobs need from
 * the stage (the role, the image, where SageMaker puts a job's output, the environment, the tags), for
 * the definition `deploy` creates and the one the local executor runs.
 *
 * No SageMaker call is made by the action: Step Functions creates, follows and stops the jobs (the
 * `.sync` integration, with the state machine role), and the execution's history carries what the
 * summary shows of them.
 */





/** The folder, under the stage's run records, where SageMaker puts each job's output (teardown removes it). */
const SAGEMAKER_OUTPUT_FOLDER = 'sagemaker/';
/** The SageMaker groups of a deployment, by name. */
function sagemakerGroups(loaded) {
    return loaded.deployment.groups.filter((g) => g.settings.compute === 'sagemaker').map((g) => g.name);
}
/**
 * What the definition needs for the SageMaker groups, or undefined when there are none.
 *
 * @param job.roleArn the role the jobs run as (the `sagemaker-role-arn` input; required on AWS).
 * @param job.imageUri the stage's image, pinned by digest.
 * @param job.region the stage's region.
 */
function sagemakerOptions(ctx, loaded, job) {
    const groups = sagemakerGroups(loaded);
    if (groups.length === 0)
        return undefined;
    if (!job.roleArn) {
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_3__/* .ActionError */ .l(`input "${_inputs__WEBPACK_IMPORTED_MODULE_2__/* .INPUT */ .bO.sagemakerRoleArn}" is required by mode "deploy": group(s) ${groups.join(', ')} say compute: ` +
            "sagemaker, and their training jobs run as that IAM role (the bootstrap stack's SageMakerRoleArn output)");
    }
    if (ctx.inputs.platform === 'linux/arm64') {
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_3__/* .ActionError */ .l(`input "${_inputs__WEBPACK_IMPORTED_MODULE_2__/* .INPUT */ .bO.platform}" is linux/arm64, but group(s) ${groups.join(', ')} say compute: sagemaker, whose ` +
            'training instances run linux/amd64 images; build the image for linux/amd64, or run those groups elsewhere');
    }
    const { plan, deployment } = loaded;
    const recordsUrl = (0,_context_common__WEBPACK_IMPORTED_MODULE_1__/* .stageRecords */ .tY)(ctx, loaded).url;
    return {
        roleArn: job.roleArn,
        imageUri: job.imageUri,
        outputPath: `${recordsUrl}${SAGEMAKER_OUTPUT_FOLDER}`,
        environment: {
            ...(0,_plan_environment__WEBPACK_IMPORTED_MODULE_4__/* .groupEnvironment */ .bj)({ packageName: plan.project.package_name, env: deployment.env, recordsUrl }),
            // The image's task root (layout.ts): where the project, its dependencies and the runtime are installed,
            // and where the conf is found. A Lambda function gets both from its runtime; a container does not.
            LAMBDA_TASK_ROOT: _build_layout__WEBPACK_IMPORTED_MODULE_0__/* .TASK_ROOT */ .tW,
            PYTHONPATH: _build_layout__WEBPACK_IMPORTED_MODULE_0__/* .TASK_ROOT */ .tW,
            // The stage's region, for the SDK in the container (Lambda sets it for a function; a container may not).
            AWS_REGION: job.region,
            AWS_DEFAULT_REGION: job.region,
        },
        tags: (0,_context_common__WEBPACK_IMPORTED_MODULE_1__/* .ownerTags */ .Dh)(deployment),
    };
}


/***/ }),

/***/ 9436:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L: () => (/* binding */ teardownStateMachine)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7484);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(_actions_core__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _aws_batch__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4469);
/* harmony import */ var _aws_lambda__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5974);
/* harmony import */ var _aws_stepfunctions__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7738);
/* harmony import */ var _context_common__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9518);
/**
 * Teardown, target step-functions: the stage's state machines, Lambda functions and the job definition
 * of its `compute: batch` groups, found by their project and stage tags (never by a name prefix: long
 * names are cut and hashed to fit AWS's limits).
 */





async function teardownStateMachine(ctx, { deployment }) {
    const { lambda, sfn, batch } = ctx.aws();
    const owner = (0,_context_common__WEBPACK_IMPORTED_MODULE_4__/* .ownerTags */ .Dh)(deployment);
    const removed = [];
    const machines = await (0,_aws_stepfunctions__WEBPACK_IMPORTED_MODULE_3__/* .deleteStateMachinesTagged */ .PX)(sfn, owner);
    _actions_core__WEBPACK_IMPORTED_MODULE_0__.info(machines.length ? `  deleted state machine(s) ${machines.join(', ')}` : `  no state machine tagged for this stage`);
    removed.push(...machines.map((m) => `state machine ${m}`));
    const functions = await (0,_aws_lambda__WEBPACK_IMPORTED_MODULE_2__/* .removeStaleFunctions */ .nM)(lambda, { keep: new Set(), ownerTags: owner });
    _actions_core__WEBPACK_IMPORTED_MODULE_0__.info(`  deleted ${functions.length} Lambda function(s)${functions.length ? `: ${functions.join(', ')}` : ''}`);
    removed.push(...functions.map((f) => `function ${f}`));
    if (deployment.groups.some((g) => g.settings.compute === 'batch')) {
        const definitions = await (0,_aws_batch__WEBPACK_IMPORTED_MODULE_1__/* .deregisterJobDefinitionsTagged */ .S0)(batch, owner);
        if (definitions.length)
            _actions_core__WEBPACK_IMPORTED_MODULE_0__.info(`  deregistered job definition(s) ${definitions.join(', ')}`);
        removed.push(...definitions.map((d) => `job definition ${d}`));
    }
    return removed;
}


/***/ }),

/***/ 917:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DO: () => (/* binding */ uncheckedOutputs),
/* harmony export */   F$: () => (/* binding */ parseS3Url),
/* harmony export */   tu: () => (/* binding */ expectedOutputs)
/* harmony export */ });
/* unused harmony exports globToRegExp, catalogHint */
/* harmony import */ var _inputs_table__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1926);
/* harmony import */ var _lib_errors__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7268);
/**
 * Which outputs a run must have written, and where (records.ts judges whether THIS run wrote them).
 * Pure: the plan in, the expected outputs out.
 */


/** Simple globs for the `expect` input: `*` any run of characters, `?` one character. */
function globToRegExp(glob) {
    const escaped = glob
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.');
    return new RegExp(`^${escaped}$`);
}
function isFolderDataset(d) {
    return /Partitioned|Incremental/.test(d.type ?? '') || (d.filepath ?? '').endsWith('/');
}
function parseS3Url(url) {
    const m = /^s3a?:\/\/([^/]+)\/?(.*)$/.exec(url);
    if (!m)
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`${url} is not an s3:// path`);
    return { bucket: m[1], key: m[2] };
}
/** Where a dataset's S3 path comes from, for the message of a failed S3 call. */
function catalogHint(env, dataset) {
    return (`The path is dataset "${dataset}"'s filepath as conf/${env}/catalog.yml resolves it (conf env "${env}", ` +
        `input "${INPUT.env}"): check the bucket name there, and that the bucket is in this account.`);
}
/**
 * The outputs to check: by default every persisted dataset some group produces; with `expect`, the
 * datasets whose names match one of its names or globs (each entry must match something).
 */
function expectedOutputs(plan, runId, expect) {
    const produced = plan.datasets.filter((d) => d.producer !== null && d.persisted);
    let chosen = produced;
    if (expect.length > 0) {
        const problems = [];
        const picked = new Set();
        for (const pattern of expect) {
            const re = globToRegExp(pattern);
            const matches = produced.filter((d) => re.test(d.name));
            if (matches.length === 0)
                problems.push(`"${pattern}" matches no persisted output of pipeline "${plan.pipeline}"`);
            for (const m of matches)
                picked.add(m.name);
        }
        if (problems.length) {
            throw new _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`input "expect": ${problems.join('; ')}. Outputs: ${produced.map((d) => d.name).join(', ') || 'none'}`);
        }
        chosen = produced.filter((d) => picked.has(d.name));
    }
    const local = chosen.filter((d) => d.protocol !== 's3' && d.protocol !== 's3a');
    if (local.length) {
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`verify checks outputs on S3, but in env "${plan.env}" ` +
            local.map((d) => `"${d.name}" is saved at ${d.filepath ?? '(no path)'}`).join(', ') +
            `: give them s3:// paths in conf/${plan.env}/catalog.yml, or leave them out with the "expect" input`);
    }
    return chosen.map((d) => {
        const filepath = d.filepath.replace(/\/+$/, '');
        const basename = filepath.slice(filepath.lastIndexOf('/') + 1);
        // Kedro saves a versioned dataset at <filepath>/<version>/<basename>; the run id is the version.
        const url = d.versioned ? `${filepath}/${runId}/${basename}` : filepath;
        return { dataset: d.name, url, ...parseS3Url(url), versioned: d.versioned, folder: isFolderDataset(d) };
    });
}
/**
 * The datasets some group produces that verify does not check, and why: pipeline outputs kept in
 * memory (nothing is saved), persisted ones on a local path, and those the `expect` input leaves out.
 * In-memory datasets another group reads are not listed (the planner refuses them; within a group they
 * are intermediate).
 */
function uncheckedOutputs(plan, checked) {
    const names = new Set(checked.map((c) => c.dataset));
    const unchecked = [];
    for (const d of plan.datasets) {
        if (d.producer === null || names.has(d.name))
            continue;
        if (!d.persisted) {
            if (d.consumers.length === 0) {
                unchecked.push({
                    dataset: d.name,
                    reason: `in memory (${d.type === null ? 'no catalog entry' : d.type}): the run saves nothing to check`,
                });
            }
        }
        else if (d.protocol !== 's3' && d.protocol !== 's3a') {
            unchecked.push({
                dataset: d.name,
                reason: `local (${d.filepath ?? 'no path'}): saved on the disk of the process that ran its group`,
            });
        }
        else {
            unchecked.push({ dataset: d.name, reason: `not matched by input "${_inputs_table__WEBPACK_IMPORTED_MODULE_0__/* .INPUT */ .bO.expect}"` });
        }
    }
    return unchecked;
}


/***/ }),

/***/ 1127:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $V: () => (/* binding */ manifestOf),
/* harmony export */   $f: () => (/* binding */ overlaps),
/* harmony export */   GD: () => (/* binding */ LeaseSchema),
/* harmony export */   KM: () => (/* binding */ judgeRecorded),
/* harmony export */   Kb: () => (/* binding */ stageRecordsUrl),
/* harmony export */   Tp: () => (/* binding */ stageOutputs),
/* harmony export */   WV: () => (/* binding */ sameWrite),
/* harmony export */   XI: () => (/* binding */ StageRecordSchema),
/* harmony export */   Zp: () => (/* binding */ layout),
/* harmony export */   g$: () => (/* binding */ RunRecordSchema),
/* harmony export */   iZ: () => (/* binding */ objectsOf),
/* harmony export */   sO: () => (/* binding */ recordsRootUrl),
/* harmony export */   xi: () => (/* binding */ recordsRoot)
/* harmony export */ });
/* unused harmony exports DEFAULT_RECORDS_PREFIX, RecordedObjectSchema, StageOutputSchema */
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9691);
/* harmony import */ var _lib_errors__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7268);
/* harmony import */ var _expected__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(917);
/**
 * Run records: the proof `verify` and `teardown` trust. Each group of a run writes, right after its
 * datasets are saved, a record of every S3 object it wrote (bucket, key, ETag, version id, size,
 * S3's own Last-Modified of that write), under one run-records location keyed by project, stage and
 * run id, with a conditional write (a record is never overwritten). `deploy` writes the stage's record:
 * the output paths it resolved, which is how a stage knows which paths other stages own.
 *
 *   <root>/<project>/<stage>/stage.json                         the stage (deploy)
 *   <root>/<project>/<stage>/lease.json                         a local run in progress
 *   <root>/<project>/<stage>/runs/<run id>/<group>/<attempt>.json  what one group attempt wrote
 *
 * Pure: layouts, the schemas of what is read back, merging, judging, overlaps. The S3 effects are in
 * src/aws/records.ts; the Python side writes group records (python/kedro_aws_action/records.py).
 */



/** Where records go when the `run-records` input is not given: this prefix in the outputs' bucket. */
const DEFAULT_RECORDS_PREFIX = '.kedro-aws';
function recordsRootUrl(root) {
    return `s3://${root.bucket}/${root.prefix}`;
}
/**
 * The records' root: the `run-records` input (`s3://bucket[/prefix]`), or `.kedro-aws/` in the bucket
 * most of the pipeline's persisted S3 outputs are in (alphabetical on a tie).
 */
function recordsRoot(plan, input) {
    if (input) {
        const { bucket, key } = (0,_expected__WEBPACK_IMPORTED_MODULE_1__/* .parseS3Url */ .F$)(input);
        return { bucket, prefix: key.replace(/\/+$/, '') };
    }
    const counts = new Map();
    for (const d of plan.datasets) {
        if (d.producer === null || !d.persisted || !d.filepath || (d.protocol !== 's3' && d.protocol !== 's3a'))
            continue;
        const { bucket } = (0,_expected__WEBPACK_IMPORTED_MODULE_1__/* .parseS3Url */ .F$)(d.filepath);
        counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
    }
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    if (ranked.length === 0) {
        throw new _lib_errors__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .l(`input "run-records" is needed: no output of pipeline "${plan.pipeline}" is on S3 in env "${plan.env}", so there is ` +
            'no bucket to keep the run records in; give one, e.g. s3://my-bucket/.kedro-aws');
    }
    return { bucket: ranked[0][0], prefix: DEFAULT_RECORDS_PREFIX };
}
function join(...parts) {
    return parts.filter((p) => p !== '').join('/');
}
const layout = {
    project: (root, project) => `${join(root.prefix, project)}/`,
    stage: (root, project, stage) => `${join(root.prefix, project, stage)}/`,
    stageRecord: (root, project, stage) => `${layout.stage(root, project, stage)}stage.json`,
    lease: (root, project, stage) => `${layout.stage(root, project, stage)}lease.json`,
    runs: (root, project, stage) => `${layout.stage(root, project, stage)}runs/`,
    run: (root, project, stage, runId) => `${layout.runs(root, project, stage)}${runId}/`,
};
/** What a group's process is told (RECORDS_ENV): the stage's records, as an s3:// URL. */
function stageRecordsUrl(root, project, stage) {
    return `s3://${root.bucket}/${layout.stage(root, project, stage)}`;
}
// ---------------------------------------------------------------------------------------------
// What is read back.
const RecordedObjectSchema = zod__WEBPACK_IMPORTED_MODULE_2__/* .object */ .Ikc({
    bucket: zod__WEBPACK_IMPORTED_MODULE_2__/* .string */ .YjP(),
    key: zod__WEBPACK_IMPORTED_MODULE_2__/* .string */ .YjP(),
    etag: zod__WEBPACK_IMPORTED_MODULE_2__/* .string */ .YjP(),
    version_id: zod__WEBPACK_IMPORTED_MODULE_2__/* .string */ .YjP().nullable(),
    size: zod__WEBPACK_IMPORTED_MODULE_2__/* .number */ .aig(),
    /** S3's Last-Modified of this write (ISO), told apart from a rewrite with the same bytes (same ETag). */
    last_modified: zod__WEBPACK_IMPORTED_MODULE_2__/* .string */ .YjP().nullable(),
});
const RunRecordSchema = zod__WEBPACK_IMPORTED_MODULE_2__/* .object */ .Ikc({
    kind: zod__WEBPACK_IMPORTED_MODULE_2__/* .literal */ .euz('kedro-aws-run-record'),
    version: zod__WEBPACK_IMPORTED_MODULE_2__/* .literal */ .euz(1),
    project: zod__WEBPACK_IMPORTED_MODULE_2__/* .string */ .YjP(),
    stage: zod__WEBPACK_IMPORTED_MODULE_2__/* .string */ .YjP(),
    run_id: zod__WEBPACK_IMPORTED_MODULE_2__/* .string */ .YjP(),
    group: zod__WEBPACK_IMPORTED_MODULE_2__/* .string */ .YjP(),
    /** One id per attempt of the group (a retried Lambda writes a record of its own). */
    attempt: zod__WEBPACK_IMPORTED_MODULE_2__/* .string */ .YjP(),
    /** Where the run came from (the workflow run), as the execution input said. */
    origin: zod__WEBPACK_IMPORTED_MODULE_2__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_2__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_2__/* .string */ .YjP()).default({}),
    datasets: zod__WEBPACK_IMPORTED_MODULE_2__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_2__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_2__/* .object */ .Ikc({ objects: zod__WEBPACK_IMPORTED_MODULE_2__/* .array */ .YOg(RecordedObjectSchema) })),
});
const StageOutputSchema = zod__WEBPACK_IMPORTED_MODULE_2__/* .object */ .Ikc({
    dataset: zod__WEBPACK_IMPORTED_MODULE_2__/* .string */ .YjP(),
    bucket: zod__WEBPACK_IMPORTED_MODULE_2__/* .string */ .YjP(),
    /** The resolved path (the folder of a versioned dataset's versions). */
    key: zod__WEBPACK_IMPORTED_MODULE_2__/* .string */ .YjP(),
    versioned: zod__WEBPACK_IMPORTED_MODULE_2__/* .boolean */ .zMY(),
});
const StageRecordSchema = zod__WEBPACK_IMPORTED_MODULE_2__/* .object */ .Ikc({
    kind: zod__WEBPACK_IMPORTED_MODULE_2__/* .literal */ .euz('kedro-aws-stage-record'),
    version: zod__WEBPACK_IMPORTED_MODULE_2__/* .literal */ .euz(1),
    project: zod__WEBPACK_IMPORTED_MODULE_2__/* .string */ .YjP(),
    stage: zod__WEBPACK_IMPORTED_MODULE_2__/* .string */ .YjP(),
    runtime_params: zod__WEBPACK_IMPORTED_MODULE_2__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_2__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_2__/* .unknown */ .L5J()),
    outputs: zod__WEBPACK_IMPORTED_MODULE_2__/* .array */ .YOg(StageOutputSchema),
    origin: zod__WEBPACK_IMPORTED_MODULE_2__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_2__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_2__/* .string */ .YjP()).default({}),
});
const LeaseSchema = zod__WEBPACK_IMPORTED_MODULE_2__/* .object */ .Ikc({
    kind: zod__WEBPACK_IMPORTED_MODULE_2__/* .literal */ .euz('kedro-aws-lease'),
    version: zod__WEBPACK_IMPORTED_MODULE_2__/* .literal */ .euz(1),
    holder: zod__WEBPACK_IMPORTED_MODULE_2__/* .string */ .YjP(),
    run_id: zod__WEBPACK_IMPORTED_MODULE_2__/* .string */ .YjP(),
    /** Epoch milliseconds after which the lease may be taken over (the holder died). */
    expires: zod__WEBPACK_IMPORTED_MODULE_2__/* .number */ .aig(),
    origin: zod__WEBPACK_IMPORTED_MODULE_2__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_2__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_2__/* .string */ .YjP()).default({}),
    /** The run once started, so that a later run can ask the service whether it still goes. */
    run: zod__WEBPACK_IMPORTED_MODULE_2__/* .object */ .Ikc({ execution_arn: zod__WEBPACK_IMPORTED_MODULE_2__/* .string */ .YjP().optional(), job_ids: zod__WEBPACK_IMPORTED_MODULE_2__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_2__/* .string */ .YjP()).optional() }).default({}),
});
// ---------------------------------------------------------------------------------------------
// The stage's outputs, and stages that would share them.
/** The S3 outputs of a plan as a stage record holds them. */
function stageOutputs(plan) {
    return plan.datasets
        .filter((d) => d.producer !== null && d.persisted && d.filepath && (d.protocol === 's3' || d.protocol === 's3a'))
        .map((d) => {
        const { bucket, key } = (0,_expected__WEBPACK_IMPORTED_MODULE_1__/* .parseS3Url */ .F$)(d.filepath);
        return { dataset: d.name, bucket, key: key.replace(/\/+$/, ''), versioned: d.versioned };
    });
}
/** True when one path is the other or lies under it (at a `/`: `main/a` does not hold `main/ab`). */
function nested(a, b) {
    return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}
/** The outputs of this stage that another stage's record also claims. */
function overlaps(mine, others) {
    const found = [];
    for (const other of others) {
        for (const m of mine) {
            const hit = other.outputs.find((t) => t.bucket === m.bucket && nested(m.key, t.key));
            if (hit)
                found.push({ stage: other.stage, mine: m, theirs: hit });
        }
    }
    return found;
}
/** The run's records merged: per dataset, every object any attempt of any group recorded. */
function manifestOf(records) {
    const manifest = new Map();
    for (const record of records) {
        for (const [dataset, { objects }] of Object.entries(record.datasets)) {
            const entry = manifest.get(dataset) ?? { objects: [], groups: [] };
            entry.objects.push(...objects);
            if (!entry.groups.includes(record.group))
                entry.groups.push(record.group);
            manifest.set(dataset, entry);
        }
    }
    return manifest;
}
const bareEtag = (etag) => etag.replace(/^W\//, '').replace(/"/g, '');
/** Same write: the same ETag and, when both are known, the same Last-Modified (to the second). */
function sameWrite(recorded, current) {
    if (bareEtag(recorded.etag) !== bareEtag(current.etag))
        return false;
    if (recorded.version_id && current.versionId)
        return recorded.version_id === current.versionId;
    if (recorded.last_modified && current.lastModified) {
        const a = Math.floor(Date.parse(recorded.last_modified) / 1000);
        const b = Math.floor(current.lastModified.getTime() / 1000);
        if (!Number.isNaN(a))
            return a === b;
    }
    return true;
}
/** Recorded objects that belong to the output's resolved path (a record is not trusted beyond it). */
function objectsOf(output, entry) {
    if (!entry)
        return [];
    // A versioned dataset's write is <filepath>/<run id>/<basename>; `output.key` is exactly that.
    const base = output.key.replace(/\/+$/, '');
    return entry.objects.filter((o) => o.bucket === output.bucket && (o.key === base || o.key.startsWith(`${base}/`)));
}
/**
 * The verdict on one output: this run's records must hold at least one object of it, and each such
 * object must still be the one this run wrote. `current` has what S3 holds now at each recorded
 * object's key (`bucket/key` → object, or undefined when there is none); `claimedBy` names the run
 * whose record claims the object now there, when one does.
 */
function judgeRecorded(output, recorded, current, claimedBy) {
    const base = { dataset: output.dataset, url: output.url, objects: recorded.length };
    if (recorded.length === 0) {
        return {
            ...base,
            verdict: 'not-written',
            detail: "this run's records hold no object of it: the run wrote nothing there",
        };
    }
    // The newest record of a key wins when several attempts wrote it.
    const byKey = new Map();
    for (const o of recorded)
        byKey.set(`${o.bucket}/${o.key}`, [...(byKey.get(`${o.bucket}/${o.key}`) ?? []), o]);
    let size = 0;
    let newest;
    for (const [where, writes] of byKey) {
        const now = current.get(where);
        if (!now) {
            return { ...base, verdict: 'missing', detail: `s3://${where} was deleted after this run wrote it` };
        }
        const own = writes.find((w) => sameWrite(w, now));
        if (!own) {
            const by = claimedBy(where, now);
            return {
                ...base,
                verdict: 'overwritten',
                detail: `s3://${where} was overwritten after this run wrote it${by ? `, by ${by}` : ' (no run record claims the new object)'}`,
            };
        }
        size += now.size;
        if (now.lastModified && (!newest || now.lastModified > newest))
            newest = now.lastModified;
    }
    const when = newest ? { lastModified: newest.toISOString() } : {};
    if (size === 0)
        return { ...base, verdict: 'empty', size, ...when, detail: 'written by this run, but empty (0 bytes)' };
    return { ...base, verdict: 'ok', size, ...when, detail: `written by this run (${byKey.size} object(s))` };
}


/***/ })

};
;