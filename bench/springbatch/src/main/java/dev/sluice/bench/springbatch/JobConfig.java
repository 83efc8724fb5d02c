package dev.sluice.bench.springbatch;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.Step;
import org.springframework.batch.core.configuration.annotation.EnableBatchProcessing;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.partition.support.MultiResourcePartitioner;
import org.springframework.batch.core.partition.support.TaskExecutorPartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.item.ItemProcessor;
import org.springframework.batch.item.file.FlatFileItemReader;
import org.springframework.batch.item.file.FlatFileItemWriter;
import org.springframework.batch.item.file.builder.FlatFileItemReaderBuilder;
import org.springframework.batch.item.file.builder.FlatFileItemWriterBuilder;
import org.springframework.batch.item.file.separator.DefaultRecordSeparatorPolicy;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.task.TaskExecutor;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The T1/T2 job the way the Spring Batch reference guide builds a file-per-partition job: a manager
 * step whose {@link MultiResourcePartitioner} makes one partition per input file, run by a {@link
 * TaskExecutorPartitionHandler} on a pool of {@code THREADS} threads; each partition is a
 * chunk-oriented worker step (chunks of 1,000) of {@link FlatFileItemReader} (header skipped), an
 * {@link ItemProcessor} that filters and transforms, and a {@link FlatFileItemWriter} writing the
 * output file at the input file's relative path.
 *
 * <p>One big file (W3) is one partition, so one thread does all of it: splitting a file into line
 * ranges needs a custom range partitioner and readers that seek, which is not what a Spring Batch
 * user writes for a CSV file (and a multi-threaded step over one reader gives up the output order
 * and restartability).
 */
@Configuration
@EnableBatchProcessing
public class JobConfig {
  static final String[] INPUT_COLUMNS = {
    "order_id", "customer_id", "customer_name", "email", "country", "product", "quantity",
    "unit_price", "amount", "order_date", "status", "notes"
  };
  static final String INPUT_HEADER = String.join(",", INPUT_COLUMNS);
  static final String OUTPUT_HEADER = "order_id,customer_name,email,country,amount";
  static final int CHUNK = 1000;
  static final String WORKER = "orders-file";

  /** The fields of an input record that the job uses, as read (text). */
  public record Order(
      String orderId, String customerName, String email, String country, String amount, String status) {}

  /** An output record. */
  public record Out(String orderId, String customerName, String email, String country, String amount) {
    String toCsv() {
      StringBuilder sb = new StringBuilder(96);
      field(sb, orderId).append(',');
      field(sb, customerName).append(',');
      field(sb, email).append(',');
      field(sb, country).append(',');
      return field(sb, amount).toString();
    }

    /**
     * RFC 4180 quoting where a field needs it. Spring Batch's DelimitedLineAggregator never quotes,
     * so a comma in a name would shift the columns; its quoteCharacter option quotes every field,
     * which the other peers do not. (No output field of the generated data needs quotes.)
     */
    private static StringBuilder field(StringBuilder sb, String f) {
      for (int i = 0; i < f.length(); i++) {
        char c = f.charAt(i);
        if (c == ',' || c == '"' || c == '\n' || c == '\r') {
          return sb.append('"').append(f.replace("\"", "\"\"")).append('"');
        }
      }
      return sb.append(f);
    }
  }

  /** Keeps {@code status == SHIPPED} and {@code amount > 100} (decimal), then projects and maps. */
  public static class OrderProcessor implements ItemProcessor<Order, Out> {
    private static final BigDecimal HUNDRED = new BigDecimal("100");
    private final boolean hashEmail;
    // One processor per partition (step scope), so one digest per thread.
    private final MessageDigest sha;

    OrderProcessor(boolean hashEmail) throws NoSuchAlgorithmException {
      this.hashEmail = hashEmail;
      this.sha = MessageDigest.getInstance("SHA-256");
    }

    @Override
    public Out process(Order o) {
      if (!o.status().equals("SHIPPED") || new BigDecimal(o.amount()).compareTo(HUNDRED) <= 0) {
        return null; // filtered out
      }
      String email = o.email().toLowerCase(Locale.ROOT);
      if (hashEmail) {
        email = HexFormat.of().formatHex(sha.digest(email.getBytes(StandardCharsets.UTF_8)));
      }
      return new Out(o.orderId(), o.customerName(), email, o.country().toUpperCase(Locale.ROOT), o.amount());
    }
  }

  // The job repository: JDBC on in-memory H2 (see the pom for why not ResourcelessJobRepository).
  @Bean
  public DataSource dataSource() {
    return new EmbeddedDatabaseBuilder()
        .setType(EmbeddedDatabaseType.H2)
        .generateUniqueName(true)
        .addScript("classpath:org/springframework/batch/core/schema-h2.sql")
        .build();
  }

  @Bean
  public JdbcTransactionManager transactionManager(DataSource dataSource) {
    return new JdbcTransactionManager(dataSource);
  }

  @Bean
  public Job ordersJob(JobRepository jobRepository, Step managerStep) {
    return new JobBuilder("orders", jobRepository).start(managerStep).build();
  }

  @Bean
  public Step managerStep(
      JobRepository jobRepository, MultiResourcePartitioner partitioner, TaskExecutorPartitionHandler handler) {
    return new StepBuilder("orders-partitioned", jobRepository)
        .partitioner(WORKER, partitioner)
        .partitionHandler(handler)
        .build();
  }

  /** One partition per {@code *.csv} under the input directory (key {@code fileName}: its URL). */
  @Bean
  public MultiResourcePartitioner partitioner(PeerArgs args) throws IOException {
    Resource[] files =
        new PathMatchingResourcePatternResolver().getResources("file:" + args.input() + "/**/*.csv");
    MultiResourcePartitioner partitioner = new MultiResourcePartitioner();
    partitioner.setResources(files);
    return partitioner;
  }

  @Bean
  public ThreadPoolTaskExecutor partitionExecutor(PeerArgs args) {
    ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
    executor.setCorePoolSize(args.threads());
    executor.setMaxPoolSize(args.threads());
    executor.setThreadNamePrefix("springbatch-worker-");
    return executor;
  }

  @Bean
  public TaskExecutorPartitionHandler partitionHandler(
      Step workerStep, TaskExecutor partitionExecutor, PeerArgs args) {
    TaskExecutorPartitionHandler handler = new TaskExecutorPartitionHandler();
    handler.setStep(workerStep);
    handler.setTaskExecutor(partitionExecutor);
    handler.setGridSize(args.threads()); // MultiResourcePartitioner ignores it: one per file
    return handler;
  }

  @Bean
  public Step workerStep(
      JobRepository jobRepository,
      PlatformTransactionManager transactionManager,
      FlatFileItemReader<Order> reader,
      OrderProcessor processor,
      FlatFileItemWriter<Out> writer) {
    return new StepBuilder(WORKER, jobRepository)
        .<Order, Out>chunk(CHUNK, transactionManager)
        .reader(reader)
        .processor(processor)
        .writer(writer)
        .build();
  }

  @Bean
  @StepScope
  public FlatFileItemReader<Order> reader(@Value("#{stepExecutionContext['fileName']}") Resource file) {
    return new FlatFileItemReaderBuilder<Order>()
        .name("orders-reader")
        .resource(file)
        .encoding("UTF-8")
        .linesToSkip(1)
        .skippedLinesCallback(header -> {
          if (!header.equals(INPUT_HEADER)) {
            throw new IllegalStateException(file + ": header " + header + ", expected " + INPUT_HEADER);
          }
        })
        // Quoted fields may hold line breaks (the notes column does): the default policy would
        // cut such a record in two.
        .recordSeparatorPolicy(new DefaultRecordSeparatorPolicy())
        .delimited()
        .names(INPUT_COLUMNS)
        // readRawString: FieldSet.readString trims, which would change the text.
        .fieldSetMapper(fs -> new Order(
            fs.readRawString("order_id"),
            fs.readRawString("customer_name"),
            fs.readRawString("email"),
            fs.readRawString("country"),
            fs.readRawString("amount"),
            fs.readRawString("status")))
        .build();
  }

  @Bean
  @StepScope
  public OrderProcessor processor(PeerArgs args) throws NoSuchAlgorithmException {
    return new OrderProcessor(args.t2());
  }

  @Bean
  @StepScope
  public FlatFileItemWriter<Out> writer(
      @Value("#{stepExecutionContext['fileName']}") Resource file, PeerArgs args) throws IOException {
    Path in = file.getFile().toPath().toRealPath();
    Path out = args.output().resolve(args.input().relativize(in).toString());
    Files.createDirectories(out.getParent());
    return new FlatFileItemWriterBuilder<Out>()
        .name("orders-writer")
        .resource(new FileSystemResource(out))
        .encoding("UTF-8")
        .lineSeparator("\n")
        .headerCallback(w -> w.write(OUTPUT_HEADER))
        .lineAggregator(Out::toCsv)
        .shouldDeleteIfExists(true)
        .build();
  }
}
